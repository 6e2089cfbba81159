package storage_test

import (
	"testing"

	"github.com/hiveku/byok/storage"
)

func TestDefaultPathPerOS(t *testing.T) {
	tests := []struct {
		name     string
		goos     string
		env      map[string]string
		existing []string
		want     string
		wantErr  bool
	}{
		{"linux xdg", "linux", map[string]string{"XDG_DATA_HOME": "/x/data", "HOME": "/home/u"}, nil, "/x/data/byok/byok.db", false},
		{"linux home", "linux", map[string]string{"HOME": "/home/u"}, nil, "/home/u/.local/share/byok/byok.db", false},
		{"freebsd like linux", "freebsd", map[string]string{"HOME": "/home/u"}, nil, "/home/u/.local/share/byok/byok.db", false},
		{"linux nothing", "linux", map[string]string{}, nil, "", true},

		{"macos application support", "darwin", map[string]string{"HOME": "/Users/u"}, nil, "/Users/u/Library/Application Support/byok/byok.db", false},
		{"macos explicit xdg", "darwin", map[string]string{"HOME": "/Users/u", "XDG_DATA_HOME": "/d"}, nil, "/d/byok/byok.db", false},
		{"macos legacy still found", "darwin", map[string]string{"HOME": "/Users/u"},
			[]string{"/Users/u/.local/share/byok/byok.db"}, "/Users/u/.local/share/byok/byok.db", false},
		{"macos new wins over legacy", "darwin", map[string]string{"HOME": "/Users/u"},
			[]string{"/Users/u/.local/share/byok/byok.db", "/Users/u/Library/Application Support/byok/byok.db"},
			"/Users/u/Library/Application Support/byok/byok.db", false},
		{"macos no home", "darwin", map[string]string{}, nil, "", true},

		{"windows localappdata", "windows", map[string]string{"LOCALAPPDATA": `C:\Users\u\AppData\Local`}, nil, `C:\Users\u\AppData\Local\byok\byok.db`, false},
		{"windows without HOME works", "windows", map[string]string{"LOCALAPPDATA": `C:\Users\u\AppData\Local\`, "USERPROFILE": `C:\Users\u`}, nil, `C:\Users\u\AppData\Local\byok\byok.db`, false},
		{"windows userprofile", "windows", map[string]string{"USERPROFILE": `C:\Users\u`}, nil, `C:\Users\u\AppData\Local\byok\byok.db`, false},
		{"windows legacy under HOME still found", "windows", map[string]string{"LOCALAPPDATA": `C:\L`, "HOME": `C:\Users\u`},
			[]string{`C:\Users\u\.local\share\byok\byok.db`}, `C:\Users\u\.local\share\byok\byok.db`, false},
		{"windows relative localappdata ignored", "windows", map[string]string{"LOCALAPPDATA": `rel`, "USERPROFILE": `D:\p`}, nil, `D:\p\AppData\Local\byok\byok.db`, false},
		{"windows nothing", "windows", map[string]string{}, nil, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			have := map[string]bool{}
			for _, p := range tt.existing {
				have[p] = true
			}
			got, err := storage.DefaultPathFor(tt.goos, func(k string) string { return tt.env[k] }, func(p string) bool { return have[p] })
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("DefaultPathFor(%s) = %q, %v; want %q (error %v)", tt.goos, got, err, tt.want, tt.wantErr)
			}
			if err != nil {
				if msg := err.Error(); msg == "" {
					t.Error("empty error")
				}
			}
		})
	}
}
