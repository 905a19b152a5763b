package deflate

import "fmt"

// ParseResponse reads a server's permessage-deflate answer as the real
// fuzzer does: window sizes need a value from 8 to 15, the takeover flags
// none. Windows not given are 0.
func ParseResponse(e Extension) (Settings, error) {
	var r Settings
	for _, key := range e.Keys {
		val, err := single(e, key)
		if err != nil {
			return Settings{}, err
		}
		switch key {
		case "client_max_window_bits":
			r.ClientMaxWindowBits, err = windowBits(key, val)
		case "client_no_context_takeover":
			err = flag(key, val)
			r.ClientNoContextTakeover = true
		case "server_max_window_bits":
			r.ServerMaxWindowBits, err = windowBits(key, val)
		case "server_no_context_takeover":
			err = flag(key, val)
			r.ServerNoContextTakeover = true
		default:
			err = fmt.Errorf("illegal extension parameter '%s' for extension '%s'", key, Name)
		}
		if err != nil {
			return Settings{}, err
		}
	}
	return r, nil
}
