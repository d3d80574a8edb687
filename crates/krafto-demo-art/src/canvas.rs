//! A small anti-aliased 2D renderer: shapes are signed distance functions in *units* (a
//! picture is 100 units tall), painted by closures, blended onto a float canvas.
//!
//! Each fill only visits the pixels of its shape's bounding box, so a picture of a few dozen
//! shapes at 1280 × 1280 draws in tens of milliseconds.

use image::{Rgb as Px, RgbImage};
use std::f32::consts::PI;

/// A colour, sRGB components in 0..=1.
pub(crate) type Rgb = [f32; 3];

/// `0xRRGGBB` as a colour.
pub(crate) fn hex(c: u32) -> Rgb {
    let ch = |s: u32| ((c >> s) & 0xff) as f32 / 255.0;
    [ch(16), ch(8), ch(0)]
}

pub(crate) const WHITE: Rgb = [1.0, 1.0, 1.0];

pub(crate) fn mix(a: Rgb, b: Rgb, t: f32) -> Rgb {
    let t = t.clamp(0.0, 1.0);
    [
        a[0] + (b[0] - a[0]) * t,
        a[1] + (b[1] - a[1]) * t,
        a[2] + (b[2] - a[2]) * t,
    ]
}

/// The colour times `k` (darker under 1, brighter over 1), kept in range.
pub(crate) fn shade(c: Rgb, k: f32) -> Rgb {
    [
        (c[0] * k).clamp(0.0, 1.0),
        (c[1] * k).clamp(0.0, 1.0),
        (c[2] * k).clamp(0.0, 1.0),
    ]
}

pub(crate) fn lighten(c: Rgb, t: f32) -> Rgb {
    mix(c, WHITE, t)
}

pub(crate) fn darken(c: Rgb, t: f32) -> Rgb {
    mix(c, [0.08, 0.06, 0.05], t)
}

/// A deterministic value in 0..1 for integer coordinates and a seed.
pub(crate) fn hash2(x: i32, y: i32, seed: u32) -> f32 {
    let mut h = (x as u32).wrapping_mul(0x8da6_b343)
        ^ (y as u32).wrapping_mul(0xd816_3841)
        ^ seed.wrapping_mul(0xcb1a_b31f);
    h ^= h >> 13;
    h = h.wrapping_mul(0x5bd1_e995);
    h ^= h >> 15;
    (h & 0x00ff_ffff) as f32 / 16_777_216.0
}

/// Smooth value noise in 0..1 (one octave), `scale` units per cell.
pub(crate) fn noise(x: f32, y: f32, scale: f32, seed: u32) -> f32 {
    let (x, y) = (x / scale, y / scale);
    let (xi, yi) = (x.floor(), y.floor());
    let (fx, fy) = (x - xi, y - yi);
    let (sx, sy) = (fx * fx * (3.0 - 2.0 * fx), fy * fy * (3.0 - 2.0 * fy));
    let (xi, yi) = (xi as i32, yi as i32);
    let a = hash2(xi, yi, seed);
    let b = hash2(xi + 1, yi, seed);
    let c = hash2(xi, yi + 1, seed);
    let d = hash2(xi + 1, yi + 1, seed);
    let top = a + (b - a) * sx;
    let bottom = c + (d - c) * sx;
    top + (bottom - top) * sy
}

/// Scattered round dots (speckles, seeds, flour): 1 inside a dot, 0 elsewhere, soft edged.
/// `cell` units between dots on average, dot radius `r` units, `density` 0..1 of cells.
pub(crate) fn dots(x: f32, y: f32, cell: f32, r: f32, density: f32, seed: u32) -> f32 {
    let (gx, gy) = ((x / cell).floor() as i32, (y / cell).floor() as i32);
    let mut best = 0.0f32;
    for oy in -1..=1 {
        for ox in -1..=1 {
            let (cx, cy) = (gx + ox, gy + oy);
            if hash2(cx, cy, seed ^ 0x55) > density {
                continue;
            }
            let px = (cx as f32 + hash2(cx, cy, seed)) * cell;
            let py = (cy as f32 + hash2(cx, cy, seed ^ 0xabc)) * cell;
            let rr = r * (0.5 + hash2(cx, cy, seed ^ 0x77));
            let d = ((x - px).powi(2) + (y - py).powi(2)).sqrt();
            best = best.max((1.0 - (d - rr) / (rr * 0.5 + 0.05)).clamp(0.0, 1.0));
        }
    }
    best.min(1.0)
}

type Sdf = Box<dyn Fn(f32, f32) -> f32 + Send + Sync>;

/// A shape: its signed distance (negative inside, in units) and a box holding it.
pub(crate) struct Shape {
    f: Sdf,
    bb: [f32; 4],
}

fn len(x: f32, y: f32) -> f32 {
    (x * x + y * y).sqrt()
}

impl Shape {
    fn new(bb: [f32; 4], f: impl Fn(f32, f32) -> f32 + Send + Sync + 'static) -> Shape {
        Shape { f: Box::new(f), bb }
    }

    pub(crate) fn dist(&self, x: f32, y: f32) -> f32 {
        (self.f)(x, y)
    }

    pub(crate) fn circle(cx: f32, cy: f32, r: f32) -> Shape {
        Shape::new([cx - r, cy - r, cx + r, cy + r], move |x, y| {
            len(x - cx, y - cy) - r
        })
    }

    pub(crate) fn ellipse(cx: f32, cy: f32, rx: f32, ry: f32) -> Shape {
        Shape::new([cx - rx, cy - ry, cx + rx, cy + ry], move |x, y| {
            let (px, py) = (x - cx, y - cy);
            let k0 = len(px / rx, py / ry);
            let k1 = len(px / (rx * rx), py / (ry * ry));
            if k1 < 1e-6 {
                -rx.min(ry)
            } else {
                k0 * (k0 - 1.0) / k1
            }
        })
    }

    /// A box centred on (cx, cy), half-sizes hw × hh, corners rounded by `r`.
    pub(crate) fn rect(cx: f32, cy: f32, hw: f32, hh: f32, r: f32) -> Shape {
        let r = r.min(hw).min(hh);
        Shape::new([cx - hw, cy - hh, cx + hw, cy + hh], move |x, y| {
            let qx = (x - cx).abs() - hw + r;
            let qy = (y - cy).abs() - hh + r;
            len(qx.max(0.0), qy.max(0.0)) + qx.max(qy).min(0.0) - r
        })
    }

    /// A segment from a to b, `r` thick on each side.
    pub(crate) fn capsule(ax: f32, ay: f32, bx: f32, by: f32, r: f32) -> Shape {
        Shape::tapered(ax, ay, r, bx, by, r)
    }

    /// A segment from a (radius ra) to b (radius rb).
    pub(crate) fn tapered(ax: f32, ay: f32, ra: f32, bx: f32, by: f32, rb: f32) -> Shape {
        let h = len(bx - ax, by - ay).max(1e-4);
        let (dx, dy) = ((bx - ax) / h, (by - ay) / h);
        let b = ((ra - rb) / h).clamp(-0.999, 0.999);
        let a = (1.0 - b * b).sqrt();
        let m = ra.max(rb);
        Shape::new(
            [
                ax.min(bx) - m,
                ay.min(by) - m,
                ax.max(bx) + m,
                ay.max(by) + m,
            ],
            move |x, y| {
                let (wx, wy) = (x - ax, y - ay);
                let py = wx * dx + wy * dy;
                let px = (wx * dy - wy * dx).abs();
                let k = -b * px + a * py;
                if k < 0.0 {
                    len(px, py) - ra
                } else if k > a * h {
                    len(px, py - h) - rb
                } else {
                    px * a + py * b - ra
                }
            },
        )
    }

    /// A trapezoid centred on (cx, cy): half-width `top` at the top, `bottom` at the bottom,
    /// half-height `hh`.
    pub(crate) fn trapezoid(cx: f32, cy: f32, top: f32, bottom: f32, hh: f32) -> Shape {
        let m = top.max(bottom);
        Shape::new([cx - m, cy - hh, cx + m, cy + hh], move |x, y| {
            // Inigo Quilez's trapezoid, y pointing down: r1 is the half-width at -hh (top).
            let (r1, r2, he) = (top, bottom, hh);
            let px = (x - cx).abs();
            let py = y - cy;
            let (k1x, k1y) = (r2, he);
            let (k2x, k2y) = (r2 - r1, 2.0 * he);
            let cax = px - px.min(if py < 0.0 { r1 } else { r2 });
            let cay = py.abs() - he;
            let t =
                (((k1x - px) * k2x + (k1y - py) * k2y) / (k2x * k2x + k2y * k2y)).clamp(0.0, 1.0);
            let cbx = px - k1x + k2x * t;
            let cby = py - k1y + k2y * t;
            let s = if cbx < 0.0 && cay < 0.0 { -1.0 } else { 1.0 };
            s * (cax * cax + cay * cay).min(cbx * cbx + cby * cby).sqrt()
        })
    }

    /// A closed polygon.
    pub(crate) fn polygon(points: &[(f32, f32)]) -> Shape {
        let pts = points.to_vec();
        let mut bb = [f32::MAX, f32::MAX, f32::MIN, f32::MIN];
        for (x, y) in &pts {
            bb = [bb[0].min(*x), bb[1].min(*y), bb[2].max(*x), bb[3].max(*y)];
        }
        Shape::new(bb, move |x, y| {
            let n = pts.len();
            let mut d = (x - pts[0].0).powi(2) + (y - pts[0].1).powi(2);
            let mut s = 1.0f32;
            let mut j = n - 1;
            for i in 0..n {
                let (vi, vj) = (pts[i], pts[j]);
                let (ex, ey) = (vj.0 - vi.0, vj.1 - vi.1);
                let (wx, wy) = (x - vi.0, y - vi.1);
                let t = ((wx * ex + wy * ey) / (ex * ex + ey * ey).max(1e-9)).clamp(0.0, 1.0);
                let (bx, by) = (wx - ex * t, wy - ey * t);
                d = d.min(bx * bx + by * by);
                let c1 = y >= vi.1;
                let c2 = y < vj.1;
                let c3 = ex * wy > ey * wx;
                if (c1 && c2 && c3) || (!c1 && !c2 && !c3) {
                    s = -s;
                }
                j = i;
            }
            s * d.sqrt()
        })
    }

    /// A thick line through points (a path of capsules).
    pub(crate) fn path(points: &[(f32, f32)], r: f32) -> Shape {
        let segs: Vec<[f32; 4]> = points
            .windows(2)
            .map(|w| [w[0].0, w[0].1, w[1].0, w[1].1])
            .collect();
        let mut bb = [f32::MAX, f32::MAX, f32::MIN, f32::MIN];
        for (x, y) in points {
            bb = [bb[0].min(*x), bb[1].min(*y), bb[2].max(*x), bb[3].max(*y)];
        }
        let bb = [bb[0] - r, bb[1] - r, bb[2] + r, bb[3] + r];
        Shape::new(bb, move |x, y| {
            let mut best = f32::MAX;
            for [ax, ay, bx, by] in &segs {
                // A segment whose box is farther than the best so far cannot be nearer.
                let dx = (ax.min(*bx) - x).max(x - ax.max(*bx)).max(0.0);
                let dy = (ay.min(*by) - y).max(y - ay.max(*by)).max(0.0);
                if dx.max(dy) >= best {
                    continue;
                }
                let (ex, ey) = (bx - ax, by - ay);
                let (wx, wy) = (x - ax, y - ay);
                let t = ((wx * ex + wy * ey) / (ex * ex + ey * ey).max(1e-9)).clamp(0.0, 1.0);
                best = best.min(len(wx - ex * t, wy - ey * t));
            }
            best - r
        })
    }

    pub(crate) fn union(self, other: Shape) -> Shape {
        let bb = [
            self.bb[0].min(other.bb[0]),
            self.bb[1].min(other.bb[1]),
            self.bb[2].max(other.bb[2]),
            self.bb[3].max(other.bb[3]),
        ];
        let (a, b) = (self.f, other.f);
        Shape::new(bb, move |x, y| a(x, y).min(b(x, y)))
    }

    /// A union that melts the two shapes together over `k` units.
    pub(crate) fn blend(self, other: Shape, k: f32) -> Shape {
        let bb = [
            self.bb[0].min(other.bb[0]) - k,
            self.bb[1].min(other.bb[1]) - k,
            self.bb[2].max(other.bb[2]) + k,
            self.bb[3].max(other.bb[3]) + k,
        ];
        let (a, b) = (self.f, other.f);
        Shape::new(bb, move |x, y| {
            let (da, db) = (a(x, y), b(x, y));
            let h = (k - (da - db).abs()).max(0.0) / k;
            da.min(db) - h * h * k * 0.25
        })
    }

    pub(crate) fn inter(self, other: Shape) -> Shape {
        let bb = [
            self.bb[0].max(other.bb[0]),
            self.bb[1].max(other.bb[1]),
            self.bb[2].min(other.bb[2]),
            self.bb[3].min(other.bb[3]),
        ];
        let (a, b) = (self.f, other.f);
        Shape::new(bb, move |x, y| a(x, y).max(b(x, y)))
    }

    pub(crate) fn minus(self, other: Shape) -> Shape {
        let bb = self.bb;
        let (a, b) = (self.f, other.f);
        Shape::new(bb, move |x, y| a(x, y).max(-b(x, y)))
    }

    /// Only the part below `y0` (greater y).
    pub(crate) fn below(self, y0: f32) -> Shape {
        let bb = [self.bb[0], self.bb[1].max(y0), self.bb[2], self.bb[3]];
        let a = self.f;
        Shape::new(bb, move |x, y| a(x, y).max(y0 - y))
    }

    /// Only the part above `y1` (smaller y).
    pub(crate) fn above(self, y1: f32) -> Shape {
        let bb = [self.bb[0], self.bb[1], self.bb[2], self.bb[3].min(y1)];
        let a = self.f;
        Shape::new(bb, move |x, y| a(x, y).max(y - y1))
    }

    /// Only the part right of `x0`.
    pub(crate) fn right_of(self, x0: f32) -> Shape {
        let bb = [self.bb[0].max(x0), self.bb[1], self.bb[2], self.bb[3]];
        let a = self.f;
        Shape::new(bb, move |x, y| a(x, y).max(x0 - x))
    }

    /// The outline, `t` thick on each side of the edge.
    pub(crate) fn ring(self, t: f32) -> Shape {
        let bb = [
            self.bb[0] - t,
            self.bb[1] - t,
            self.bb[2] + t,
            self.bb[3] + t,
        ];
        let a = self.f;
        Shape::new(bb, move |x, y| a(x, y).abs() - t)
    }

    /// Grown by `r` (rounder, larger); shrunk with a negative `r`.
    pub(crate) fn grow(self, r: f32) -> Shape {
        let m = r.max(0.0);
        let bb = [
            self.bb[0] - m,
            self.bb[1] - m,
            self.bb[2] + m,
            self.bb[3] + m,
        ];
        let a = self.f;
        Shape::new(bb, move |x, y| a(x, y) - r)
    }

    /// Turned by `deg` degrees (clockwise on screen) around (cx, cy).
    pub(crate) fn rotate(self, cx: f32, cy: f32, deg: f32) -> Shape {
        let (s, c) = (deg * PI / 180.0).sin_cos();
        // The box's corners, turned, bound the turned shape.
        let mut bb = [f32::MAX, f32::MAX, f32::MIN, f32::MIN];
        for (x, y) in [
            (self.bb[0], self.bb[1]),
            (self.bb[2], self.bb[1]),
            (self.bb[0], self.bb[3]),
            (self.bb[2], self.bb[3]),
        ] {
            let (dx, dy) = (x - cx, y - cy);
            let (rx, ry) = (cx + dx * c - dy * s, cy + dx * s + dy * c);
            bb = [bb[0].min(rx), bb[1].min(ry), bb[2].max(rx), bb[3].max(ry)];
        }
        let a = self.f;
        Shape::new(bb, move |x, y| {
            let (dx, dy) = (x - cx, y - cy);
            a(cx + dx * c + dy * s, cy - dx * s + dy * c)
        })
    }
}

/// Turns a point by `deg` around (cx, cy), as [`Shape::rotate`] turns shapes.
pub(crate) fn turn(x: f32, y: f32, cx: f32, cy: f32, deg: f32) -> (f32, f32) {
    let (s, c) = (deg * PI / 180.0).sin_cos();
    let (dx, dy) = (x - cx, y - cy);
    (cx + dx * c - dy * s, cy + dx * s + dy * c)
}

/// Paints: the colour at a point (in units).
pub(crate) fn flat(c: Rgb) -> impl Fn(f32, f32) -> Rgb {
    move |_, _| c
}

/// Lit like a vertical cylinder spanning x0..x1, the light coming from the upper left.
pub(crate) fn cylinder(c: Rgb, x0: f32, x1: f32) -> impl Fn(f32, f32) -> Rgb {
    move |x, _| {
        let t = ((x - x0) / (x1 - x0)).clamp(0.0, 1.0);
        // Never quite black at the rim: the edge stays a shade, not a seam.
        let k = 0.64 + 0.42 * (PI * (0.06 + 0.88 * t)).sin() - 0.14 * t;
        let spec = 0.32 * (-((t - 0.27) / 0.07).powi(2)).exp();
        lighten(shade(c, k), spec)
    }
}

/// Lit like a sphere centred on (cx, cy) of radius r.
pub(crate) fn sphere(c: Rgb, cx: f32, cy: f32, r: f32) -> impl Fn(f32, f32) -> Rgb {
    let (lx, ly, lz) = (-0.42f32, -0.55f32, 0.72f32);
    let ll = (lx * lx + ly * ly + lz * lz).sqrt();
    let (lx, ly, lz) = (lx / ll, ly / ll, lz / ll);
    let (hx, hy, hz) = (lx, ly, lz + 1.0);
    let hl = (hx * hx + hy * hy + hz * hz).sqrt();
    let (hx, hy, hz) = (hx / hl, hy / hl, hz / hl);
    move |x, y| {
        let nx = ((x - cx) / r).clamp(-1.0, 1.0);
        let ny = ((y - cy) / r).clamp(-1.0, 1.0);
        let nz = (1.0 - nx * nx - ny * ny).max(0.0).sqrt();
        let diff = (nx * lx + ny * ly + nz * lz).max(0.0);
        let spec = (nx * hx + ny * hy + nz * hz).max(0.0).powi(28) * 0.45;
        lighten(shade(c, 0.5 + 0.65 * diff), spec)
    }
}

/// A tube along a → b (radii ra, rb), lit across its width.
pub(crate) fn tube(
    c: Rgb,
    (ax, ay, ra): (f32, f32, f32),
    (bx, by, rb): (f32, f32, f32),
) -> impl Fn(f32, f32) -> Rgb {
    let h = len(bx - ax, by - ay).max(1e-4);
    let (dx, dy) = ((bx - ax) / h, (by - ay) / h);
    // The lit side is the one facing up and left.
    let side = if -dy * -0.6 + dx * -0.8 < 0.0 {
        1.0
    } else {
        -1.0
    };
    move |x, y| {
        let (wx, wy) = (x - ax, y - ay);
        let along = ((wx * dx + wy * dy) / h).clamp(0.0, 1.0);
        let across = (wx * dy - wy * dx) * side;
        let r = ra + (rb - ra) * along;
        let n = (across / r.max(1e-3)).clamp(-1.0, 1.0);
        let k = 0.68 + 0.36 * (1.0 - n * n).sqrt() - 0.14 * n;
        let spec = 0.25 * (-((n + 0.45) / 0.18).powi(2)).exp();
        lighten(shade(c, k), spec)
    }
}

/// From `top` at y0 to `bottom` at y1.
pub(crate) fn vertical(top: Rgb, bottom: Rgb, y0: f32, y1: f32) -> impl Fn(f32, f32) -> Rgb {
    move |_, y| mix(top, bottom, (y - y0) / (y1 - y0))
}

/// The canvas: float pixels and the view from units to pixels.
pub(crate) struct Canvas {
    pub(crate) w: u32,
    pub(crate) h: u32,
    px: Vec<Rgb>,
    /// Pixels per unit.
    unit: f32,
    ox: f32,
    oy: f32,
    seed: u32,
}

impl Canvas {
    /// A blank canvas 100 units tall.
    pub(crate) fn new(w: u32, h: u32, seed: u32) -> Canvas {
        let unit = h as f32 / 100.0;
        Canvas {
            w,
            h,
            px: vec![WHITE; (w as usize) * (h as usize)],
            unit,
            ox: 0.0,
            oy: 0.0,
            seed,
        }
    }

    /// Shows unit point (fx, fy) at pixel (px, py), `zoom` times the base scale (100 units
    /// to the canvas's height).
    pub(crate) fn view(&mut self, zoom: f32, (fx, fy): (f32, f32), (px, py): (f32, f32)) {
        self.unit = self.h as f32 / 100.0 * zoom;
        self.ox = px - fx * self.unit;
        self.oy = py - fy * self.unit;
    }

    /// Paints every pixel with `row(v)(u)`, u and v in 0..1 across and down the canvas:
    /// what depends on the row alone is worked out once per row.
    pub(crate) fn backdrop<R: Fn(f32) -> Rgb>(&mut self, row: impl Fn(f32) -> R) {
        let (w, h) = (self.w as usize, self.h as usize);
        let us: Vec<f32> = (0..w).map(|i| (i as f32 + 0.5) / w as f32).collect();
        for j in 0..h {
            let f = row((j as f32 + 0.5) / h as f32);
            for (i, u) in us.iter().enumerate() {
                self.px[j * w + i] = f(*u);
            }
        }
    }

    /// Fills `s` with `paint`, `alpha` opaque, its edge softened over `soft` units (at
    /// least a pixel, which anti-aliases it).
    pub(crate) fn fill_with(
        &mut self,
        s: &Shape,
        paint: impl Fn(f32, f32) -> Rgb,
        alpha: f32,
        soft: f32,
    ) {
        let edge = soft.max(1.0 / self.unit);
        let pad = edge;
        let to_px = |u: f32, o: f32, unit: f32| u * unit + o;
        let i0 = to_px(s.bb[0] - pad, self.ox, self.unit).floor().max(0.0) as usize;
        let j0 = to_px(s.bb[1] - pad, self.oy, self.unit).floor().max(0.0) as usize;
        let i1 = (to_px(s.bb[2] + pad, self.ox, self.unit).ceil().max(0.0) as usize)
            .min(self.w as usize);
        let j1 = (to_px(s.bb[3] + pad, self.oy, self.unit).ceil().max(0.0) as usize)
            .min(self.h as usize);
        let w = self.w as usize;
        for j in j0..j1 {
            let y = (j as f32 + 0.5 - self.oy) / self.unit;
            for i in i0..i1 {
                let x = (i as f32 + 0.5 - self.ox) / self.unit;
                let d = s.dist(x, y);
                let cov = (0.5 - d / edge).clamp(0.0, 1.0) * alpha;
                if cov <= 0.0 {
                    continue;
                }
                let p = &mut self.px[j * w + i];
                *p = mix(*p, paint(x, y), cov);
            }
        }
    }

    pub(crate) fn fill(&mut self, s: &Shape, paint: impl Fn(f32, f32) -> Rgb) {
        self.fill_with(s, paint, 1.0, 0.0);
    }

    /// A soft shadow (or glow) in `c`.
    pub(crate) fn glow(&mut self, s: &Shape, c: Rgb, alpha: f32, soft: f32) {
        self.fill_with(s, flat(c), alpha, soft);
    }

    /// The finished picture, with a faint grain (which also keeps gradients from banding).
    pub(crate) fn into_image(self) -> RgbImage {
        let mut raw = Vec::with_capacity(self.px.len() * 3);
        // A xorshift sequence over the pixels in order: cheap, and the same every time.
        let mut state = self.seed | 1;
        for c in &self.px {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let g = ((state >> 8) as f32 / 16_777_216.0 - 0.5) * 0.018;
            for v in c {
                raw.push(((v + g).clamp(0.0, 1.0) * 255.0 + 0.5) as u8);
            }
        }
        RgbImage::from_raw(self.w, self.h, raw)
            .unwrap_or_else(|| RgbImage::from_pixel(self.w, self.h, Px([255, 255, 255])))
    }
}
