package cmd

import (
	"context"
	"strings"
	"testing"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/ui/home"
)

func TestDeleteCmd(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantOut    string
		wantErr    string
		wantExists bool
	}{
		{name: "with --yes", args: []string{"delete", "acme hiveku", "--yes"}, wantOut: "✓ Deleted \"Acme Hiveku\"\n"},
		{name: "with -y", args: []string{"delete", "Acme Hiveku", "-y"}, wantOut: "✓ Deleted \"Acme Hiveku\"\n"},
		{name: "no terminal, no --yes", args: []string{"delete", "Acme Hiveku"}, wantCode: 2, wantExists: true,
			wantErr: "byok: --yes: refusing to delete \"Acme Hiveku\" without confirmation; pass --yes to delete it when byok cannot ask\n"},
		{name: "unknown name", args: []string{"delete", "Nope", "--yes"}, wantCode: 1, wantExists: true,
			wantErr: "byok: no config named \"Nope\"; run byok list to see the saved ones\n"},
		{name: "missing NAME", args: []string{"delete"}, wantCode: 2, wantExists: true,
			wantErr: "byok: missing NAME: the config to use (see byok list)\nRun 'byok delete --help' for usage.\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, stdout, stderr := newTestFactory(t)
			listSeed(t, f)
			if code := runCmd(t, f, tt.args...); code != tt.wantCode {
				t.Fatalf("exit = %d, want %d; stderr %q", code, tt.wantCode, stderr)
			}
			if stdout.String() != tt.wantOut || stderr.String() != tt.wantErr {
				t.Errorf("stdout, stderr = %q, %q; want %q, %q", stdout, stderr, tt.wantOut, tt.wantErr)
			}
			st := testStore(t, f)
			_, err := st.FindConfig(context.Background(), "Acme Hiveku")
			if exists := err == nil; exists != tt.wantExists {
				t.Errorf("config exists = %v (%v), want %v", exists, err, tt.wantExists)
			}
			if !tt.wantExists {
				runs, err := st.Runs(context.Background(), "Acme Hiveku", 10)
				if (err != nil && flow.ErrorCode(err) != flow.ENOTFOUND) || len(runs) != 0 {
					t.Errorf("Runs() = %d, %v; want the runs deleted too", len(runs), err)
				}
			}
		})
	}
}

func TestDeleteRunConfirm(t *testing.T) {
	for _, answer := range []bool{true, false} {
		t.Run(map[bool]string{true: "yes", false: "no"}[answer], func(t *testing.T) {
			f, stdout, stderr := newTestFactory(t)
			listSeed(t, f)
			f.IO.SetStdinTTY(true)
			f.IO.SetStderrTTY(true)
			asked := ""
			opts := &DeleteOptions{IO: f.IO, Store: f.Store, Name: "Old App",
				Confirm: func(ctx context.Context, title string, def bool) (bool, error) {
					if def {
						t.Error("delete defaults to yes")
					}
					asked = title
					return answer, nil
				}}
			if err := deleteRun(context.Background(), opts); err != nil {
				t.Fatalf("deleteRun: %v", err)
			}
			if want := `Delete "Old App", its secret and its verification history? This cannot be undone.`; asked != want {
				t.Errorf("asked %q, want %q", asked, want)
			}
			_, err := testStore(t, f).FindConfig(context.Background(), "Old App")
			if answer && flow.ErrorCode(err) != flow.ENOTFOUND {
				t.Errorf("after yes: FindConfig err = %v, want not found", err)
			}
			if !answer {
				if err != nil {
					t.Errorf("after no: FindConfig err = %v, want the config kept", err)
				}
				if stderr.String() != "Nothing deleted.\n" || stdout.Len() != 0 {
					t.Errorf("stdout, stderr = %q, %q", stdout, stderr)
				}
			}
		})
	}
}

func TestDeleteRunAborted(t *testing.T) {
	f, _, stderr := newTestFactory(t)
	listSeed(t, f)
	f.IO.SetStdinTTY(true)
	f.IO.SetStderrTTY(true)
	opts := &DeleteOptions{IO: f.IO, Store: f.Store, Name: "Old App",
		Confirm: func(ctx context.Context, title string, def bool) (bool, error) { return false, ErrAborted }}
	if code := reportError(f, deleteRun(context.Background(), opts)); code != 130 {
		t.Errorf("exit = %d, want 130", code)
	}
	if stderr.String() != "byok: cancelled\n" {
		t.Errorf("stderr = %q", stderr)
	}
	if _, err := testStore(t, f).FindConfig(context.Background(), "Old App"); err != nil {
		t.Errorf("config gone after cancel: %v", err)
	}
}

// TestDeleteDraft: a wizard draft can be given up: delete takes the
// draft of that name when no config has it, with the same confirmation,
// and the home screen's d on a draft does the same.
func TestDeleteDraft(t *testing.T) {
	ctx := context.Background()
	draft := flow.Draft{Config: flow.Config{Name: "Half Done"}, Step: flow.StepRedirect}

	f, stdout, stderr := newTestFactory(t)
	if err := testStore(t, f).SaveDraft(ctx, draft); err != nil {
		t.Fatal(err)
	}
	if code := runCmd(t, f, "delete", "Half Done"); code != 2 || !strings.Contains(stderr.String(), "--yes") {
		t.Fatalf("no terminal, no --yes: exit %d, stderr %q", code, stderr)
	}
	if code := runCmd(t, f, "delete", "half done", "--yes"); code != 0 || stdout.String() != "✓ Deleted the draft \"Half Done\"\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if ds, _ := testStore(t, f).ListDrafts(ctx); len(ds) != 0 {
		t.Errorf("drafts left: %+v", ds)
	}

	// From the home screen: d on the draft, then yes.
	f, _, stderr = newTestFactory(t)
	if err := testStore(t, f).SaveDraft(ctx, draft); err != nil {
		t.Fatal(err)
	}
	homeTerminal(f, "y\n")
	h := &homeFake{t: t, choices: []home.Choice{{Action: home.Delete, Name: "Half Done"}, {Action: home.Quit}}}
	d := h.deps()
	d.act = homeAct(f, nil)
	if err := homeLoop(ctx, f, d); err != nil {
		t.Fatalf("homeLoop() = %v\n%s", err, stderr)
	}
	if ds, _ := testStore(t, f).ListDrafts(ctx); len(ds) != 0 {
		t.Errorf("drafts left after home's delete: %+v\n%s", ds, stderr)
	}
	if v := homeView(h.shown[1]); !strings.Contains(v, `✓ deleted "Half Done"`) || strings.Contains(v, "draft: Half Done") {
		t.Errorf("screen after deleting the draft:\n%s", v)
	}
}
