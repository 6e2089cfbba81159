package cmd

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"sort"
	"strings"
	"text/template"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/sanitize"
	"github.com/itchyny/gojq"
	"github.com/spf13/cobra"
)

// The --json, --jq and --template flags, after cli/cli's
// pkg/cmdutil/json_flags.go: --json takes an optional comma-separated list
// of fields (all fields without one, so the old bare --json still works),
// --jq filters the JSON with a jq expression (gojq, as gh uses) and
// --template formats it with a Go template. Either of the last two turns
// --json on. The JSON itself is unchanged: selection only drops keys.
//
// Strings that --jq prints raw and everything --template prints pass the
// output sanitizer: the values come from Microsoft, pastes and manifests.

// jsonExporter is one command's JSON output settings.
type jsonExporter struct {
	// fields are the keys that may be selected, in output order.
	fields []string
	// itemsKey, when set, names the array inside the output object whose
	// elements the fields describe (doctor: "findings"); otherwise the
	// fields are the output's own keys, or its elements' when it is an
	// array (list).
	itemsKey string

	selected []string // nil: every field
	jq       *gojq.Code
	jqSrc    string
	tmpl     *template.Template
}

// active reports whether the generic path must be taken: some selection,
// filter or template was asked for.
func (e *jsonExporter) active() bool {
	return e != nil && (e.selected != nil || e.jq != nil || e.tmpl != nil)
}

// addJSONFlags adds --json [FIELDS], --jq and --template to c. enabled is
// the command's JSON switch; sample is a value of the JSON type (its json
// tags give the fields); itemsKey as in jsonExporter.
func addJSONFlags(c *cobra.Command, ios *IOStreams, enabled *bool, usage string, sample any, itemsKey string) {
	e := &jsonExporter{fields: jsonFieldNames(reflect.TypeOf(sample)), itemsKey: itemsKey}
	fl := c.Flags()
	fl.Var(&jsonFieldsValue{e: e, ios: ios, on: enabled}, "json",
		usage+"; optionally only these comma-separated `FIELDS`: "+strings.Join(e.fields, ", "))
	fl.Lookup("json").NoOptDefVal = "*"
	fl.VarP(&jqValue{e: e, ios: ios, on: enabled}, "jq", "q", "filter the JSON with a jq `EXPRESSION` (implies --json)")
	fl.VarP(&templateValue{e: e, ios: ios, on: enabled}, "template", "t", "format the JSON with a Go `TEMPLATE` (implies --json)")
	if c.Annotations == nil {
		c.Annotations = map[string]string{}
	}
	c.Annotations[jsonFieldsAnnotation] = strings.Join(e.fields, ",")
	_ = c.RegisterFlagCompletionFunc("json", func(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		return completeFieldList(e.fields, toComplete), cobra.ShellCompDirectiveNoSpace | cobra.ShellCompDirectiveNoFileComp
	})
}

// jsonFieldsAnnotation records a command's JSON fields, so that
// `--json name,client_id` (a space, as gh spells it) can be told from a
// positional argument before the flags are parsed.
const jsonFieldsAnnotation = "byok/json-fields"

// completeFieldList completes the last element of a comma-separated field
// list.
func completeFieldList(fields []string, toComplete string) []string {
	done, last := "", toComplete
	if i := strings.LastIndexByte(toComplete, ','); i >= 0 {
		done, last = toComplete[:i+1], toComplete[i+1:]
	}
	have := strings.Split(done, ",")
	var out []string
	for _, f := range fields {
		if strings.HasPrefix(f, last) && !slices.Contains(have, f) {
			out = append(out, done+f)
		}
	}
	return out
}

// jsonFieldNames returns the json names of t's exported fields (t a
// struct or pointer to one), in declaration order.
func jsonFieldNames(t reflect.Type) []string {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	var names []string
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		switch name {
		case "-":
			continue
		case "":
			name = sf.Name
		}
		names = append(names, name)
	}
	return names
}

// jsonFieldsValue is the --json flag.
type jsonFieldsValue struct {
	e   *jsonExporter
	ios *IOStreams
	on  *bool
	raw string
}

func (v *jsonFieldsValue) String() string { return v.raw }
func (v *jsonFieldsValue) Type() string   { return "fields" }
func (v *jsonFieldsValue) Set(s string) error {
	v.raw = s
	*v.on = true
	v.ios.jsonExport = v.e
	s = strings.TrimSpace(s)
	if s == "*" || s == "" {
		v.e.selected = nil
		return nil
	}
	var sel []string
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !slices.Contains(v.e.fields, f) {
			return fmt.Errorf("unknown field %q; the fields are %s", f, strings.Join(v.e.fields, ", "))
		}
		if !slices.Contains(sel, f) {
			sel = append(sel, f)
		}
	}
	v.e.selected = sel
	return nil
}

// jqValue is the --jq flag: the expression is compiled when the flag is
// parsed, so a mistake in it is a usage error (exit 2) before anything runs.
type jqValue struct {
	e   *jsonExporter
	ios *IOStreams
	on  *bool
}

func (v *jqValue) String() string { return v.e.jqSrc }
func (v *jqValue) Type() string   { return "expression" }
func (v *jqValue) Set(s string) error {
	if v.e.tmpl != nil {
		return errors.New("cannot be combined with --template; use one of them")
	}
	q, err := gojq.Parse(s)
	if err != nil {
		return fmt.Errorf("%s; check the expression (jq syntax, e.g. '.[].name')", err)
	}
	code, err := gojq.Compile(q)
	if err != nil {
		return err
	}
	v.e.jq, v.e.jqSrc = code, s
	*v.on = true
	v.ios.jsonExport = v.e
	return nil
}

// templateValue is the --template flag.
type templateValue struct {
	e   *jsonExporter
	ios *IOStreams
	on  *bool
	raw string
}

func (v *templateValue) String() string { return v.raw }
func (v *templateValue) Type() string   { return "template" }
func (v *templateValue) Set(s string) error {
	if v.e.jq != nil {
		return errors.New("cannot be combined with --jq; use one of them")
	}
	t, err := template.New("template").Option("missingkey=zero").Funcs(templateFuncs).Parse(s)
	if err != nil {
		return fmt.Errorf("%s; see https://pkg.go.dev/text/template", strings.TrimPrefix(err.Error(), "template: "))
	}
	v.raw, v.e.tmpl = s, t
	*v.on = true
	v.ios.jsonExport = v.e
	return nil
}

// templateFuncs are the helpers a --template may call, after gh's.
var templateFuncs = template.FuncMap{
	// join joins a list with sep: {{join ", " .scopes}}.
	"join": func(sep string, list []any) string {
		parts := make([]string, len(list))
		for i, v := range list {
			parts[i] = fmt.Sprint(v)
		}
		return strings.Join(parts, sep)
	},
	// json encodes a value: {{json .secret}}.
	"json": func(v any) (string, error) {
		b, err := json.Marshal(v)
		return string(b), err
	},
	// pluck takes one field of each object in a list: {{pluck "name" .}}.
	"pluck": func(field string, list []any) []any {
		out := make([]any, 0, len(list))
		for _, v := range list {
			if m, ok := v.(map[string]any); ok {
				out = append(out, m[field])
			}
		}
		return out
	},
	"upper": strings.ToUpper,
	"lower": strings.ToLower,
}

// exportJSON writes v as ios's command asked: selected fields, then --jq
// or --template, else JSON as writeJSON prints it.
func exportJSON(ios *IOStreams, e *jsonExporter, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode json: %w", err)
	}
	var data any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&data); err != nil {
		return fmt.Errorf("encode json: %w", err)
	}
	data = e.selectFields(data)
	switch {
	case e.jq != nil:
		return e.runJQ(ios, data)
	case e.tmpl != nil:
		var buf bytes.Buffer
		if err := e.tmpl.Execute(&buf, data); err != nil {
			return flowTemplateError(err)
		}
		_, err := io.WriteString(ios.Out, sanitize.Text(buf.String()))
		return err
	}
	return encodeJSON(ios, data)
}

// flowTemplateError turns a template execution error into invalid input.
func flowTemplateError(err error) error {
	return flow.Invalid("--template", "%s", strings.TrimPrefix(err.Error(), "template: ")).
		WithFix("check the field names against --json's list")
}

// selectFields keeps only the selected keys of data (an object, an array
// of objects, or an object whose itemsKey array holds them).
func (e *jsonExporter) selectFields(data any) any {
	if e.selected == nil {
		return data
	}
	pick := func(v any) any {
		m, ok := v.(map[string]any)
		if !ok {
			return v
		}
		out := make(map[string]any, len(e.selected))
		for _, f := range e.selected {
			if x, ok := m[f]; ok {
				out[f] = x
			} else {
				out[f] = nil // an omitted empty field is still asked for
			}
		}
		return out
	}
	pickAll := func(v any) any {
		if list, ok := v.([]any); ok {
			for i := range list {
				list[i] = pick(list[i])
			}
			return list
		}
		return pick(v)
	}
	if e.itemsKey != "" {
		if m, ok := data.(map[string]any); ok {
			m[e.itemsKey] = pickAll(m[e.itemsKey])
			return m
		}
	}
	return pickAll(data)
}

// runJQ prints each result of the --jq expression on its own line:
// strings raw (sanitized), everything else as compact JSON, as gh does.
func (e *jsonExporter) runJQ(ios *IOStreams, data any) error {
	iter := e.jq.Run(normalizeForJQ(data))
	var buf bytes.Buffer
	for {
		v, ok := iter.Next()
		if !ok {
			break
		}
		if err, ok := v.(error); ok {
			if h, ok := err.(*gojq.HaltError); ok && h.Value() == nil {
				break
			}
			return flow.Invalid("--jq", "%s", err).WithFix("check the expression against the output of --json")
		}
		if s, ok := v.(string); ok {
			buf.WriteString(sanitize.Text(s))
		} else {
			b, err := gojq.Marshal(v)
			if err != nil {
				return fmt.Errorf("encode jq result: %w", err)
			}
			buf.Write(b)
		}
		buf.WriteByte('\n')
	}
	_, err := ios.Out.Write(buf.Bytes())
	return err
}

// normalizeForJQ converts json.Number (which gojq does not know) to int or
// float64.
func normalizeForJQ(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = normalizeForJQ(e)
		}
	case []any:
		for i, e := range x {
			x[i] = normalizeForJQ(e)
		}
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return int(i)
		}
		f, _ := x.Float64()
		return f
	}
	return v
}

// encodeJSON prints v as writeJSON does: indented on a terminal, compact
// when piped, HTML characters not escaped. Object keys come out sorted
// after a selection (encoding/json sorts map keys); selected fields keep
// the JSON's stable names.
func encodeJSON(ios *IOStreams, v any) error {
	enc := json.NewEncoder(ios.Out)
	enc.SetEscapeHTML(false)
	if ios.IsStdoutTTY() {
		enc.SetIndent("", "  ")
	}
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}

// rewriteJSONFieldArgs turns `--json FIELDS` (a space, as gh spells it)
// into `--json=FIELDS` when the command being run has JSON fields and
// every element of the next argument is one of them; otherwise the next
// argument stays a positional one (a config NAME). Needed because --json
// alone, without fields, must still work.
func rewriteJSONFieldArgs(root *cobra.Command, args []string) []string {
	// Shell completion (byok __complete ARGS… TO-COMPLETE) gets the same
	// treatment, so that `--json name,cl<Tab>` completes the field list.
	completing := len(args) > 0 && (args[0] == cobra.ShellCompRequestCmd || args[0] == cobra.ShellCompNoDescRequestCmd)
	find := args
	if completing {
		find = args[1:]
	}
	c, _, err := root.Find(find)
	if err != nil || c == nil {
		return args
	}
	fields := c.Annotations[jsonFieldsAnnotation]
	if fields == "" {
		return args
	}
	known := strings.Split(fields, ",")
	sort.Strings(known)
	// A command without positional arguments (list) takes whatever
	// follows --json as fields, so that a misspelt field is reported as
	// one rather than as a stray argument.
	noArgs := !strings.Contains(c.Use, " ")
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			out = append(out, args[i:]...)
			break
		}
		typing := completing && i+1 == len(args)-1
		if a == "--json" && i+1 < len(args) && (isFieldList(args[i+1], known) || (noArgs || typing) && looksLikeFields(args[i+1])) {
			out = append(out, "--json="+args[i+1])
			i++
			continue
		}
		out = append(out, a)
	}
	return out
}

// isFieldList reports whether s is a comma-separated list of known
// (sorted) field names.
func isFieldList(s string, known []string) bool {
	if s == "" || strings.HasPrefix(s, "-") {
		return false
	}
	for _, f := range strings.Split(s, ",") {
		if _, ok := slices.BinarySearch(known, strings.TrimSpace(f)); !ok {
			return false
		}
	}
	return true
}

// looksLikeFields reports whether s has the shape of a field list:
// lower-case words and underscores separated by commas.
func looksLikeFields(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r == '_' || r == ',') {
			return false
		}
	}
	return true
}
