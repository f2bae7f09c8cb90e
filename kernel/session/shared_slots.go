package session

import (
	"reflect"
	"unsafe"

	"github.com/traefik/yaegi/interp"
)

// A variable carried into a rebuilt interpreter must stay the same variable,
// not become a copy of it:
//
//   - a closure stored in a global (`inc := func() { counter++ }`) was
//     compiled by the old interpreter and reads and writes the old
//     interpreter's `counter`; with a copy, `inc()` would no longer change the
//     `counter` that later cells see;
//   - some values must not be copied at all (a strings.Builder checks that it
//     was not, and panics), and a goroutine started by an earlier cell keeps
//     writing to the old variable.
//
// yaegi keeps a global's storage in its global frame, one reflect.Value per
// slot, and its compiled code reaches the slot through that frame on every
// use. shareSlot therefore puts the old slot's reflect.Value (the same
// storage) into the new interpreter's frame in place of the fresh slot that
// `var x T` made. yaegi has no API for this: the frame is reached through its
// unexported fields (interp.Interpreter.frame.data, yaegi v0.16.1); if that
// layout ever changes, shareSlot reports false and the caller copies the
// value instead.

// shareSlot makes the global whose slot in the interpreter is fresh use the
// storage of old instead. Both must be addressable values of the same type.
func shareSlot(in *interp.Interpreter, fresh, old reflect.Value) bool {
	if !fresh.CanAddr() || !old.CanAddr() || fresh.Type() != old.Type() {
		return false
	}
	data, ok := globalFrameData(in)
	if !ok {
		return false
	}
	for i := 0; i < data.Len(); i++ {
		slot := data.Index(i).Interface().(reflect.Value)
		if slot.IsValid() && slot.CanAddr() && slot.Type() == fresh.Type() && slot.UnsafeAddr() == fresh.UnsafeAddr() {
			data.Index(i).Set(reflect.ValueOf(old))
			return true
		}
	}
	return false
}

// globalFrameData returns the interpreter's global frame slots (a settable
// []reflect.Value), or false if yaegi's layout is not the expected one.
func globalFrameData(in *interp.Interpreter) (reflect.Value, bool) {
	frame := reflect.ValueOf(in).Elem().FieldByName("frame")
	if !frame.IsValid() || frame.Kind() != reflect.Pointer || frame.IsNil() || frame.Elem().Kind() != reflect.Struct {
		return reflect.Value{}, false
	}
	data := frame.Elem().FieldByName("data")
	if !data.IsValid() || data.Type() != reflect.TypeOf([]reflect.Value(nil)) {
		return reflect.Value{}, false
	}
	return reflect.NewAt(data.Type(), unsafe.Pointer(data.UnsafeAddr())).Elem(), true
}
