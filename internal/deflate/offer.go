package deflate

import (
	"fmt"
	"strconv"
)

// Window sizes a peer may name, as exponents of two.
const (
	MinWindowBits = 8
	MaxWindowBits = 15
)

// Offer is a client's permessage-deflate offer. The Accept fields say what the
// client lets the server ask of it; the Request fields what it asks of the
// server (RequestMaxWindowBits 0: nothing).
type Offer struct {
	AcceptNoContextTakeover  bool
	AcceptMaxWindowBits      bool
	RequestNoContextTakeover bool
	RequestMaxWindowBits     int
}

// NewOffer is the offer the real fuzzer builds for a request: it always lets
// the server ask for no context takeover and a client window.
func NewOffer(requestNoContextTakeover bool, requestMaxWindowBits int) Offer {
	return Offer{AcceptNoContextTakeover: true, AcceptMaxWindowBits: true,
		RequestNoContextTakeover: requestNoContextTakeover, RequestMaxWindowBits: requestMaxWindowBits}
}

// String is the offer as sent in Sec-WebSocket-Extensions.
func (o Offer) String() string {
	s := Name
	if o.AcceptNoContextTakeover {
		s += "; client_no_context_takeover"
	}
	if o.AcceptMaxWindowBits {
		s += "; client_max_window_bits"
	}
	if o.RequestNoContextTakeover {
		s += "; server_no_context_takeover"
	}
	if o.RequestMaxWindowBits != 0 {
		s += fmt.Sprintf("; server_max_window_bits=%d", o.RequestMaxWindowBits)
	}
	return s
}

// ParseOffer reads a client's offer as the real fuzzer does. Like it, an
// offer without client_no_context_takeover still lets the server ask for it.
func ParseOffer(e Extension) (Offer, error) {
	o := Offer{AcceptNoContextTakeover: true}
	for _, key := range e.Keys {
		val, err := single(e, key)
		if err != nil {
			return Offer{}, err
		}
		switch key {
		case "client_max_window_bits":
			if val.HasValue {
				if _, err := windowBits(key, val); err != nil {
					return Offer{}, err
				}
			}
			o.AcceptMaxWindowBits = true
		case "client_no_context_takeover":
			if err := flag(key, val); err != nil {
				return Offer{}, err
			}
			o.AcceptNoContextTakeover = true
		case "server_max_window_bits":
			if o.RequestMaxWindowBits, err = windowBits(key, val); err != nil {
				return Offer{}, err
			}
		case "server_no_context_takeover":
			if err := flag(key, val); err != nil {
				return Offer{}, err
			}
			o.RequestNoContextTakeover = true
		default:
			return Offer{}, fmt.Errorf("illegal extension parameter '%s' for extension '%s'", key, Name)
		}
	}
	return o, nil
}

// single returns the only value of a parameter.
func single(e Extension, key string) (Param, error) {
	vals := e.Params[key]
	if len(vals) > 1 {
		return Param{}, fmt.Errorf("multiple occurrence of extension parameter '%s' for extension '%s'", key, Name)
	}
	return vals[0], nil
}

// windowBits reads a window size value; a parameter without value counts as
// 1 (the real fuzzer converts True to an integer), so it is refused.
func windowBits(key string, val Param) (int, error) {
	shown := val.String()
	n := 1
	if val.HasValue {
		v, err := strconv.Atoi(val.Value)
		if err != nil {
			return 0, illegalValue(key, shown)
		}
		n = v
	}
	if n < MinWindowBits || n > MaxWindowBits {
		return 0, illegalValue(key, strconv.Itoa(n))
	}
	return n, nil
}

// flag checks that a parameter has no value.
func flag(key string, val Param) error {
	if val.HasValue {
		return illegalValue(key, val.Value)
	}
	return nil
}

func illegalValue(key, shown string) error {
	return fmt.Errorf("illegal extension parameter value '%s' for parameter '%s' of extension '%s'", shown, key, Name)
}

// OfferAccept is a server's acceptance of one offer, possibly asking the
// client for no context takeover and a smaller client window.
type OfferAccept struct {
	Offer                    Offer
	RequestNoContextTakeover bool
	RequestMaxWindowBits     int
}

// String is the acceptance as sent in Sec-WebSocket-Extensions: the server
// parameters the client asked for, then what the server asks.
func (a OfferAccept) String() string {
	s := Name
	if a.Offer.RequestNoContextTakeover {
		s += "; server_no_context_takeover"
	}
	if a.Offer.RequestMaxWindowBits != 0 {
		s += fmt.Sprintf("; server_max_window_bits=%d", a.Offer.RequestMaxWindowBits)
	}
	if a.RequestNoContextTakeover {
		s += "; client_no_context_takeover"
	}
	if a.RequestMaxWindowBits != 0 {
		s += fmt.Sprintf("; client_max_window_bits=%d", a.RequestMaxWindowBits)
	}
	return s
}
