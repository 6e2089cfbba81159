package cmd

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestJSONFieldSelection(t *testing.T) {
	for _, args := range [][]string{
		{"list", "--json", "name,client_id"},
		{"list", "--json=name,client_id"},
		{"list", "--json", "client_id,name,name"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			f, stdout, stderr := newTestFactory(t)
			listSeed(t, f)
			if code := runCmd(t, f, args...); code != 0 {
				t.Fatalf("exit = %d, stderr %s", code, stderr)
			}
			var got []map[string]any
			if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, stdout)
			}
			if len(got) != 3 {
				t.Fatalf("got %d configs, want 3", len(got))
			}
			for _, m := range got {
				if len(m) != 2 || m["name"] == nil || m["client_id"] != setupClientID {
					t.Errorf("element %v: want exactly name and client_id", m)
				}
			}
		})
	}
}

func TestJSONBareStaysTheSame(t *testing.T) {
	// --json without fields must print what it printed before fields existed.
	f, stdout, _ := newTestFactory(t)
	listSeed(t, f)
	if code := runCmd(t, f, "list", "--json"); code != 0 {
		t.Fatalf("exit = %d", code)
	}
	var got []configJSON
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil || len(got) != 3 || got[0].Secret.Hint != "abC…" {
		t.Errorf("list --json = %s (%v)", stdout, err)
	}
}

func TestJSONShowNameAndFields(t *testing.T) {
	// NAME before or after --json FIELDS; a NAME that is not a field is
	// never taken for one.
	for _, args := range [][]string{
		{"show", "Acme Hiveku", "--json", "name,tenant"},
		{"show", "--json", "name,tenant", "Acme Hiveku"},
	} {
		f, stdout, stderr := newTestFactory(t)
		listSeed(t, f)
		if code := runCmd(t, f, args...); code != 0 {
			t.Fatalf("%v: exit = %d, stderr %s", args, code, stderr)
		}
		if got, want := stdout.String(), `{"name":"Acme Hiveku","tenant":"common"}`+"\n"; got != want {
			t.Errorf("%v: stdout = %q, want %q", args, got, want)
		}
	}
	f, stdout, stderr := newTestFactory(t)
	listSeed(t, f)
	if code := runCmd(t, f, "show", "--json", "Acme Hiveku"); code != 0 {
		t.Fatalf("show --json NAME: exit = %d, stderr %s", code, stderr)
	}
	if !strings.Contains(stdout.String(), `"client_id":`) {
		t.Errorf("show --json NAME printed %s", stdout)
	}
}

func TestJSONUnknownField(t *testing.T) {
	f, stdout, stderr := newTestFactory(t)
	listSeed(t, f)
	if code := runCmd(t, f, "list", "--json", "nme"); code != 2 {
		t.Fatalf("exit = %d, want 2", code)
	}
	if !strings.Contains(stderr.String(), `unknown field "nme"; the fields are name, account_type`) || stdout.Len() != 0 {
		t.Errorf("stderr = %q, stdout = %q", stderr, stdout)
	}
}

func TestJQ(t *testing.T) {
	f, stdout, stderr := newTestFactory(t)
	listSeed(t, f)
	if code := runCmd(t, f, "list", "--jq", `.[] | select(.secret_days_left < 30) | .name`); code != 0 {
		t.Fatalf("exit = %d, stderr %s", code, stderr)
	}
	if got, want := stdout.String(), "Contoso Mail\nOld App\n"; got != want {
		t.Errorf("stdout = %q, want %q", got, want)
	}
	stdout.Reset()
	if code := runCmd(t, f, "list", "-q", `map({name, d: .secret_days_left})`); code != 0 {
		t.Fatalf("exit = %d, stderr %s", code, stderr)
	}
	if got, want := stdout.String(), `[{"d":731,"name":"Acme Hiveku"},{"d":12,"name":"Contoso Mail"},{"d":-3,"name":"Old App"}]`+"\n"; got != want {
		t.Errorf("stdout = %q, want %q", got, want)
	}
}

func TestJQErrors(t *testing.T) {
	f, stdout, stderr := newTestFactory(t)
	listSeed(t, f)
	if code := runCmd(t, f, "list", "--jq", ".["); code != 2 {
		t.Errorf("bad syntax: exit = %d, want 2", code)
	}
	if !strings.Contains(stderr.String(), "--jq") {
		t.Errorf("stderr = %q", stderr)
	}
	stderr.Reset()
	if code := runCmd(t, f, "list", "--jq", ".[] | error(\"boom\")"); code != 2 || !strings.Contains(stderr.String(), "byok: --jq: error: boom") {
		t.Errorf("runtime error: exit = %d, stderr %q", code, stderr)
	}
	if code := runCmd(t, f, "list", "--jq", ".", "--template", "x"); code != 2 {
		t.Errorf("--jq with --template: exit = %d, want 2", code)
	}
	_ = stdout
}

func TestJQRawStringsAreSanitized(t *testing.T) {
	f, stdout, stderr := newTestFactory(t)
	ios := f.IO
	e := &jsonExporter{}
	v := &jqValue{e: e, ios: ios, on: new(bool)}
	if err := v.Set(".title"); err != nil {
		t.Fatal(err)
	}
	if err := exportJSON(ios, e, map[string]string{"title": "ok\x1b]52;c;AAAA\x07"}); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsRune(stdout.String(), 0x1b) || !strings.Contains(stdout.String(), `\x1b`) {
		t.Errorf("jq raw output not sanitized: %q", stdout)
	}
	_ = stderr
}

func TestTemplate(t *testing.T) {
	f, stdout, stderr := newTestFactory(t)
	listSeed(t, f)
	tmpl := `{{range .}}{{.name}}: {{join "," .scopes}} {{.secret.hint}}{{"\n"}}{{end}}`
	if code := runCmd(t, f, "list", "--template", tmpl); code != 0 {
		t.Fatalf("exit = %d, stderr %s", code, stderr)
	}
	if !strings.HasPrefix(stdout.String(), "Acme Hiveku: offline_access,Mail.ReadWrite,Mail.Send,Calendars.ReadWrite abC…\n") || strings.Count(stdout.String(), "\n") != 3 {
		t.Errorf("stdout = %q", stdout)
	}
	stdout.Reset()
	if code := runCmd(t, f, "show", "Acme Hiveku", "-t", "{{.name}} {{.missing_field}}|{{upper .tenant}}\n"); code != 0 {
		t.Fatalf("exit = %d, stderr %s", code, stderr)
	}
	if got := stdout.String(); got != "Acme Hiveku <no value>|COMMON\n" {
		t.Errorf("stdout = %q", got)
	}
	if code := runCmd(t, f, "list", "--template", "{{.x"); code != 2 {
		t.Errorf("bad template: exit = %d, want 2", code)
	}
}

func TestJSONFlagsOnEveryCommand(t *testing.T) {
	f, _, _ := newTestFactory(t)
	root := NewCmdRoot(f)
	for _, name := range []string{"list", "show", "verify", "doctor", "audit"} {
		c, _, err := root.Find([]string{name})
		if err != nil {
			t.Fatal(err)
		}
		for _, fl := range []string{"json", "jq", "template"} {
			if c.Flags().Lookup(fl) == nil {
				t.Errorf("%s has no --%s", name, fl)
			}
		}
		if c.Annotations[jsonFieldsAnnotation] == "" {
			t.Errorf("%s lists no JSON fields", name)
		}
	}
}

func TestDoctorFieldsApplyToFindings(t *testing.T) {
	f, stdout, stderr := newTestFactory(t)
	f.IO.In = strings.NewReader("AADSTS50011: The redirect URI specified in the request does not match")
	if code := runCmd(t, f, "doctor", "-", "--json", "code,category"); code != 0 {
		t.Fatalf("exit = %d, stderr %s", code, stderr)
	}
	if got, want := stdout.String(), `{"findings":[{"category":"redirect-uri","code":50011}]}`+"\n"; got != want {
		t.Errorf("stdout = %q, want %q", got, want)
	}
}

func TestCompleteFieldList(t *testing.T) {
	got := completeFieldList([]string{"name", "client_id", "created_at"}, "name,c")
	if strings.Join(got, " ") != "name,client_id name,created_at" {
		t.Errorf("completeFieldList = %v", got)
	}
}
