package directory

import "math"

// GridToWGS84 converts an Ordnance Survey National Grid reference (OSGB36
// eastings and northings in metres, as Code-Point Open gives them) to WGS84
// latitude and longitude, the way Ordnance Survey describes in "A guide to
// coordinate systems in Great Britain": the inverse transverse Mercator
// projection on the Airy 1830 ellipsoid, then a seven-parameter Helmert
// transformation from OSGB36 to WGS84. It is good to about 5 metres, plenty
// for finding services near a postcode.
func GridToWGS84(easting, northing float64) Point {
	lat, lon := gridToOSGB36(easting, northing)
	x, y, z := toCartesian(lat, lon, airy1830)
	x, y, z = helmertOSGB36ToWGS84(x, y, z)
	lat, lon = fromCartesian(x, y, z, grs80)
	return Point{Lat: lat * 180 / math.Pi, Lon: lon * 180 / math.Pi}
}

type ellipsoid struct{ a, b float64 }

var (
	airy1830 = ellipsoid{a: 6377563.396, b: 6356256.909}
	grs80    = ellipsoid{a: 6378137, b: 6356752.314245} // WGS84's, to a tenth of a millimetre
)

// The National Grid's projection: its true origin and scale on the central
// meridian.
const (
	gridF0   = 0.9996012717
	gridLat0 = 49 * math.Pi / 180
	gridLon0 = -2 * math.Pi / 180
	gridN0   = -100000.0
	gridE0   = 400000.0
)

// gridToOSGB36 is the inverse transverse Mercator projection: grid
// reference to OSGB36 latitude and longitude, in radians.
func gridToOSGB36(e, north float64) (lat, lon float64) {
	a, b := airy1830.a, airy1830.b
	e2 := 1 - (b*b)/(a*a)
	n := (a - b) / (a + b)
	n2, n3 := n*n, n*n*n

	lat = gridLat0
	m := 0.0
	for i := 0; i < 20; i++ { // converges in a handful of rounds
		lat = (north-gridN0-m)/(a*gridF0) + lat
		ma := (1 + n + 5.0/4*n2 + 5.0/4*n3) * (lat - gridLat0)
		mb := (3*n + 3*n2 + 21.0/8*n3) * math.Sin(lat-gridLat0) * math.Cos(lat+gridLat0)
		mc := (15.0/8*n2 + 15.0/8*n3) * math.Sin(2*(lat-gridLat0)) * math.Cos(2*(lat+gridLat0))
		md := 35.0 / 24 * n3 * math.Sin(3*(lat-gridLat0)) * math.Cos(3*(lat+gridLat0))
		m = b * gridF0 * (ma - mb + mc - md)
		if math.Abs(north-gridN0-m) < 0.00001 {
			break
		}
	}
	sinLat, cosLat := math.Sin(lat), math.Cos(lat)
	nu := a * gridF0 / math.Sqrt(1-e2*sinLat*sinLat)
	rho := a * gridF0 * (1 - e2) / math.Pow(1-e2*sinLat*sinLat, 1.5)
	eta2 := nu/rho - 1

	tan := math.Tan(lat)
	tan2, tan4, tan6 := tan*tan, math.Pow(tan, 4), math.Pow(tan, 6)
	sec := 1 / cosLat
	nu3, nu5, nu7 := math.Pow(nu, 3), math.Pow(nu, 5), math.Pow(nu, 7)
	vii := tan / (2 * rho * nu)
	viii := tan / (24 * rho * nu3) * (5 + 3*tan2 + eta2 - 9*tan2*eta2)
	ix := tan / (720 * rho * nu5) * (61 + 90*tan2 + 45*tan4)
	x := sec / nu
	xi := sec / (6 * nu3) * (nu/rho + 2*tan2)
	xii := sec / (120 * nu5) * (5 + 28*tan2 + 24*tan4)
	xiia := sec / (5040 * nu7) * (61 + 662*tan2 + 1320*tan4 + 720*tan6)

	de := e - gridE0
	de2 := de * de
	de3, de4, de5, de6, de7 := de2*de, de2*de2, de2*de2*de, de2*de2*de2, de2*de2*de2*de
	lat = lat - vii*de2 + viii*de4 - ix*de6
	lon = gridLon0 + x*de - xi*de3 + xii*de5 - xiia*de7
	return lat, lon
}

// toCartesian places a point at height 0 on an ellipsoid in
// earth-centred x, y, z metres.
func toCartesian(lat, lon float64, el ellipsoid) (x, y, z float64) {
	e2 := 1 - (el.b*el.b)/(el.a*el.a)
	sinLat := math.Sin(lat)
	nu := el.a / math.Sqrt(1-e2*sinLat*sinLat)
	return nu * math.Cos(lat) * math.Cos(lon), nu * math.Cos(lat) * math.Sin(lon), (1 - e2) * nu * sinLat
}

// helmertOSGB36ToWGS84 applies Ordnance Survey's published transformation
// from OSGB36 to WGS84 (the inverse of its WGS84 → OSGB36 parameters).
func helmertOSGB36ToWGS84(x, y, z float64) (float64, float64, float64) {
	const (
		tx, ty, tz = 446.448, -125.157, 542.060 // metres
		s          = -20.4894                   // parts per million
		arcsec     = math.Pi / (180 * 3600)
		rx, ry, rz = 0.1502 * arcsec, 0.2470 * arcsec, 0.8421 * arcsec
	)
	s1 := 1 + s/1e6
	return tx + x*s1 - y*rz + z*ry,
		ty + x*rz + y*s1 - z*rx,
		tz - x*ry + y*rx + z*s1
}

// fromCartesian finds the latitude and longitude (radians) of an
// earth-centred point on an ellipsoid, by Bowring's method.
func fromCartesian(x, y, z float64, el ellipsoid) (lat, lon float64) {
	a, b := el.a, el.b
	e2 := (a*a - b*b) / (a * a)
	eps2 := (a*a - b*b) / (b * b)
	p := math.Hypot(x, y)
	r := math.Hypot(p, z)
	tanBeta := (b * z) / (a * p) * (1 + eps2*b/r)
	sinBeta := tanBeta / math.Sqrt(1+tanBeta*tanBeta)
	cosBeta := sinBeta / tanBeta
	if tanBeta == 0 {
		cosBeta = 1
	}
	lat = math.Atan2(z+eps2*b*sinBeta*sinBeta*sinBeta, p-e2*a*cosBeta*cosBeta*cosBeta)
	return lat, math.Atan2(y, x)
}
