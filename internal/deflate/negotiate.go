package deflate

import (
	"fmt"
	"strings"
)

// Request is what one side of a compression case asks of the other: no
// context takeover, and a window size (0: none). A client offers it for the
// server's direction; a server asks it of the client's.
type Request struct {
	NoContextTakeover bool
	MaxWindowBits     int
}

// ClientOffers is the Sec-WebSocket-Extensions value of a client that offers
// one permessage-deflate element per request, in order ("" for none).
func ClientOffers(reqs []Request) string {
	parts := make([]string, len(reqs))
	for i, r := range reqs {
		parts[i] = NewOffer(r.NoContextTakeover, r.MaxWindowBits).String()
	}
	return strings.Join(parts, ", ")
}

// Accept picks the offer a server accepts, trying each request in order
// against every offer: a request for no context takeover needs an offer that
// allows it, a request for a window one that allows a client window. It
// returns false when no offer fits.
func Accept(reqs []Request, offers []Offer) (OfferAccept, bool) {
	for _, r := range reqs {
		for _, o := range offers {
			if (r.NoContextTakeover && !o.AcceptNoContextTakeover) || (r.MaxWindowBits != 0 && !o.AcceptMaxWindowBits) {
				continue
			}
			return OfferAccept{Offer: o, RequestNoContextTakeover: r.NoContextTakeover, RequestMaxWindowBits: r.MaxWindowBits}, true
		}
	}
	return OfferAccept{}, false
}

// NegotiateServer answers a client's Sec-WebSocket-Extensions as the real
// fuzzer's server does: every permessage-deflate offer must parse (else the
// handshake fails with the error), other extensions are ignored, and with
// accept rules (nil: accept nothing) the first fitting offer is taken. It
// returns the answer ("" for none) and the codec (nil for none).
func NegotiateServer(header string, accept []Request) (string, *Codec, error) {
	var offers []Offer
	for _, e := range ParseExtensions(header) {
		if e.Name != Name {
			continue
		}
		o, err := ParseOffer(e)
		if err != nil {
			return "", nil, err
		}
		offers = append(offers, o)
	}
	if len(offers) == 0 || len(accept) == 0 {
		return "", nil, nil
	}
	a, ok := Accept(accept, offers)
	if !ok {
		return "", nil, nil
	}
	c, err := NewCodec(true, Settings{
		ServerNoContextTakeover: a.Offer.RequestNoContextTakeover,
		ClientNoContextTakeover: a.RequestNoContextTakeover,
		ServerMaxWindowBits:     a.Offer.RequestMaxWindowBits,
		ClientMaxWindowBits:     a.RequestMaxWindowBits,
	})
	if err != nil {
		return "", nil, err
	}
	return a.String(), c, nil
}

// NegotiateClient reads a server's Sec-WebSocket-Extensions as the real
// fuzzer's client does. A client that offered permessage-deflate takes any
// valid answer as it stands; one that offered nothing refuses it. Any other
// extension, or a second permessage-deflate, fails the handshake. It returns
// nil when nothing was negotiated.
func NegotiateClient(header string, offered bool) (*Codec, error) {
	var codec *Codec
	for _, e := range ParseExtensions(header) {
		if e.Name != Name {
			return nil, fmt.Errorf("server wants to use extension '%s' we did not request, haven't implemented or did not enable", e.Name)
		}
		if codec != nil {
			return nil, fmt.Errorf("multiple occurrence of a permessage-compress extension")
		}
		r, err := ParseResponse(e)
		if err != nil {
			return nil, err
		}
		if !offered {
			return nil, fmt.Errorf("WebSocket permessage-compress extension response from server denied by client")
		}
		if codec, err = NewCodec(false, r); err != nil {
			return nil, err
		}
	}
	return codec, nil
}
