package corpus

import "encoding/binary"

// Bitmap geometry: 512x512 pixels, one octet each, a 256-entry gray palette.
const (
	bmpSide       = 512
	bmpFileHeader = 14
	bmpInfoHeader = 40
	bmpPalette    = 256 * 4
	bmpPixels     = bmpSide * bmpSide
)

// bitmap is an uncompressed 8-bit grayscale BMP of a synthetic photograph:
// soft shapes and shading with grain, which compresses about as poorly as a
// real photo. Its size is fixed by the format (263222 octets).
func bitmap(size int) []byte {
	offset := bmpFileHeader + bmpInfoHeader + bmpPalette
	b := make([]byte, offset+bmpPixels)
	le := binary.LittleEndian
	copy(b, "BM")
	le.PutUint32(b[2:], uint32(len(b)))
	le.PutUint32(b[10:], uint32(offset))
	h := b[bmpFileHeader:]
	le.PutUint32(h[0:], bmpInfoHeader)
	le.PutUint32(h[4:], bmpSide)
	le.PutUint32(h[8:], bmpSide)
	le.PutUint16(h[12:], 1) // planes
	le.PutUint16(h[14:], 8) // bits per pixel
	le.PutUint32(h[20:], bmpPixels)
	le.PutUint32(h[24:], 2835) // 72 dpi
	le.PutUint32(h[28:], 2835)
	le.PutUint32(h[32:], 256)
	pal := b[bmpFileHeader+bmpInfoHeader:]
	for i := 0; i < 256; i++ {
		pal[4*i], pal[4*i+1], pal[4*i+2] = byte(i), byte(i), byte(i)
	}

	r := newRNG(0x1e5a512b)
	type blob struct{ x, y, radius, level int }
	blobs := make([]blob, 24)
	for i := range blobs {
		blobs[i] = blob{r.intn(bmpSide), r.intn(bmpSide), 20 + r.intn(140), r.intn(200) - 100}
	}
	px := b[offset:]
	for y := 0; y < bmpSide; y++ {
		for x := 0; x < bmpSide; x++ {
			// Integer arithmetic only, so every platform draws the same image.
			v := 110 + triangle(3*x+2*y, 700, 50) + triangle(5*y-x+4000, 450, 30)
			for _, bl := range blobs {
				dx, dy, rr := x-bl.x, y-bl.y, bl.radius*bl.radius
				if d := dx*dx + dy*dy; d < rr {
					v += bl.level * (rr - d) / rr
				}
			}
			v += r.intn(9) + r.intn(9) - 8 // grain
			px[y*bmpSide+x] = byte(min(255, max(0, v)))
		}
	}
	return b[:size]
}

// triangle is a triangle wave of the given period and amplitude at t >= 0.
func triangle(t, period, amplitude int) int {
	p := t % period
	if p > period/2 {
		p = period - p
	}
	return amplitude*4*p/period - amplitude
}
