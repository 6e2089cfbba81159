package screens

import (
	"reflect"

	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"
)

// Theme is huh's Charm theme with status words on errors, so that they
// read without colour ("error: …" rather than a red star). With noColor
// every colour is removed but bold, faint and reverse stay, so the cursor,
// the focused button and placeholders remain visible (NO_COLOR asks for no
// colour, not for no emphasis).
//
// huh asks its theme for the styles on every option it draws; they are
// built once per background here (building them, colours stripped by
// reflection, was nearly all of the wizard's allocations).
func Theme(noColor bool) huh.Theme {
	var dark, light *huh.Styles
	return huh.ThemeFunc(func(isDark bool) *huh.Styles {
		st := &light
		if isDark {
			st = &dark
		}
		if *st == nil {
			*st = themeStyles(noColor, isDark)
		}
		return *st
	})
}

// themeStyles builds Theme's styles for a dark or light background.
func themeStyles(noColor, isDark bool) *huh.Styles {
	t := huh.ThemeCharm(isDark)
	t.Focused.ErrorMessage = t.Focused.ErrorMessage.SetString("error:")
	t.Blurred.ErrorMessage = t.Blurred.ErrorMessage.SetString("error:")
	if noColor {
		stripColors(reflect.ValueOf(t).Elem())
		for _, f := range []*huh.FieldStyles{&t.Focused, &t.Blurred} {
			f.FocusedButton = f.FocusedButton.Reverse(true).Bold(true)
			f.TextInput.Placeholder = f.TextInput.Placeholder.Faint(true)
			f.Description = f.Description.Faint(true)
		}
	}
	return t
}

var styleType = reflect.TypeOf(lipgloss.Style{})

// stripColors unsets every colour of every lipgloss.Style reachable
// through v's exported fields.
func stripColors(v reflect.Value) {
	switch {
	case v.Type() == styleType:
		if v.CanSet() {
			st := v.Interface().(lipgloss.Style)
			v.Set(reflect.ValueOf(st.UnsetForeground().UnsetBackground().
				UnsetBorderForeground().UnsetBorderBackground()))
		}
	case v.Kind() == reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				stripColors(v.Field(i))
			}
		}
	}
}
