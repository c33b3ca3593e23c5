package pyarg

import "reflect"

// Float reports whether v is a Python float (a Go float of any kind,
// named ones included) and its value.
func Float(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case nil:
		return 0, false
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Float32 || rv.Kind() == reflect.Float64 {
		return rv.Float(), true
	}
	return 0, false
}
