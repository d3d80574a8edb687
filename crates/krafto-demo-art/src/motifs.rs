//! One drawing per kind of product, in a 100 × 100 unit square: the object stands on the
//! table around y = 78 and fills the middle of the frame. Each takes its main colour (a
//! glaze, a metal, a fruit) and a generator that varies proportions and details.

use crate::canvas::{
    Canvas, Rgb, Shape, WHITE, cylinder, darken, dots, flat, hash2, hex, lighten, mix, noise,
    shade, sphere, tube, turn, vertical,
};
use crate::rng::Rng;
use std::f32::consts::PI;

/// The kinds of product the demo catalogue draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Motif {
    Bowl,
    Mug,
    Platter,
    Vase,
    Ring,
    Earrings,
    Hoops,
    Necklace,
    Scarf,
    TeaTowel,
    Candle,
    JarCandle,
    Soap,
    Bag,
    CrochetBag,
    Beanie,
    Mittens,
    Print,
    Painting,
    Postcards,
    HoneyJar,
    JamJar,
    Cheese,
    GoatCheese,
    Bread,
    Gingerbread,
    Apples,
    Pears,
    Carrots,
    Lettuce,
    Potatoes,
    Eggs,
    VegBox,
    Sausage,
    Bottle,
}

impl Motif {
    pub const ALL: [Motif; 35] = [
        Motif::Bowl,
        Motif::Mug,
        Motif::Platter,
        Motif::Vase,
        Motif::Ring,
        Motif::Earrings,
        Motif::Hoops,
        Motif::Necklace,
        Motif::Scarf,
        Motif::TeaTowel,
        Motif::Candle,
        Motif::JarCandle,
        Motif::Soap,
        Motif::Bag,
        Motif::CrochetBag,
        Motif::Beanie,
        Motif::Mittens,
        Motif::Print,
        Motif::Painting,
        Motif::Postcards,
        Motif::HoneyJar,
        Motif::JamJar,
        Motif::Cheese,
        Motif::GoatCheese,
        Motif::Bread,
        Motif::Gingerbread,
        Motif::Apples,
        Motif::Pears,
        Motif::Carrots,
        Motif::Lettuce,
        Motif::Potatoes,
        Motif::Eggs,
        Motif::VegBox,
        Motif::Sausage,
        Motif::Bottle,
    ];

    /// Main colours it is drawn in when none is asked for (`0xRRGGBB`).
    pub fn palette(self) -> &'static [u32] {
        use Motif::*;
        match self {
            Bowl | Mug | Platter | Vase => &[
                0x2f5d8c, 0x8db5a0, 0xc98b3b, 0xe6dcc6, 0x3e3f44, 0xa9543a, 0x4f8a94, 0xc98a8e,
            ],
            Ring | Earrings | Hoops | Necklace => &[0xd4af37, 0xc0c4c8, 0xe0b48c],
            Scarf | Mittens | Beanie | Bag | CrochetBag => &[
                0x3a5a8c, 0xb5533c, 0xd9a441, 0x6b8f5e, 0x8a4f7d, 0xd8cfc0, 0x2f4f4f,
            ],
            TeaTowel => &[0xb03a2e, 0x2f5d8c, 0xd9a441, 0x4f7a4f],
            Candle | JarCandle => &[0xe2b350, 0xf1e9d8, 0xb9c8b0, 0xe8c4c0, 0xc9d6e3],
            Soap => &[0xb9a6d6, 0xf0e6d2, 0xc5d8b5, 0xe8c9b5],
            Print | Painting | Postcards => &[0x2f5d8c, 0xc9683f, 0x4f7a4f, 0xd9a441, 0x8a4f7d],
            HoneyJar => &[0xd99a1e, 0xe8b84a, 0xa8641a],
            JamJar => &[0xb0263a, 0xe0782a, 0x6a1f4a, 0xd44a3a],
            Cheese => &[0xf0d89a, 0xeed27a],
            GoatCheese => &[0xf6f3ea, 0xeeeae0],
            Bread => &[0xc58a4a, 0xb8763a, 0xd09a5a],
            Gingerbread => &[0x8a4a22, 0x9a5a2a],
            Apples => &[0xc8342a, 0x9fbf3a, 0xe0b03a, 0xb84a2a],
            Pears => &[0xc8c24a, 0xa8b84a, 0xc89a4a],
            Carrots => &[0xe8782a, 0xf08c2a, 0xd8602a],
            Lettuce => &[0x7fb24a, 0x9cc45a, 0x6a9a3a],
            Potatoes => &[0xc8a26b, 0xb88a5a, 0xd8b07a],
            Eggs => &[0xc9926a, 0xefe6d6, 0xd8b08a],
            VegBox => &[0xc89a6a, 0xb88a5a],
            Sausage => &[0x8a3a2a, 0x9a4a32],
            Bottle => &[0xe0a030, 0xd08a2a, 0xb0382a],
        }
    }

    /// The point a close-up centres on.
    pub(crate) fn focus(self) -> (f32, f32) {
        use Motif::*;
        match self {
            Ring => (50.0, 50.0),
            Earrings | Hoops => (36.0, 44.0),
            Necklace => (50.0, 58.0),
            Candle | JarCandle => (52.0, 48.0),
            Print | Painting => (50.0, 44.0),
            Carrots => (40.0, 52.0),
            Apples | Pears | Potatoes => (50.0, 60.0),
            Platter => (50.0, 62.0),
            _ => (50.0, 58.0),
        }
    }

    /// Draws the object (with its shadow) in `main`.
    pub(crate) fn draw(self, c: &mut Canvas, r: &mut Rng, main: Rgb) {
        use Motif::*;
        match self {
            Bowl => bowl(c, r, main),
            Mug => mug(c, r, main),
            Platter => platter(c, r, main),
            Vase => vase(c, r, main),
            Ring => ring(c, r, main),
            Earrings => earrings(c, r, main, false),
            Hoops => earrings(c, r, main, true),
            Necklace => necklace(c, r, main),
            Scarf => scarf(c, r, main),
            TeaTowel => tea_towels(c, r, main),
            Candle => candle(c, r, main),
            JarCandle => jar_candle(c, r, main),
            Soap => soap(c, r, main),
            Bag => bag(c, r, main),
            CrochetBag => crochet_bag(c, r, main),
            Beanie => beanie(c, r, main),
            Mittens => mittens(c, r, main),
            Print => framed(c, r, main, false),
            Painting => framed(c, r, main, true),
            Postcards => postcards(c, r, main),
            HoneyJar => honey_jar(c, r, main),
            JamJar => jam_jar(c, r, main),
            Cheese => cheese(c, r, main),
            GoatCheese => goat_cheese(c, r, main),
            Bread => bread(c, r, main),
            Gingerbread => gingerbread(c, r, main),
            Apples => fruit_pile(c, r, main, false),
            Pears => fruit_pile(c, r, main, true),
            Carrots => carrots(c, r, main),
            Lettuce => lettuce(c, r, main),
            Potatoes => potatoes(c, r, main),
            Eggs => eggs(c, r, main),
            VegBox => veg_box(c, r, main),
            Sausage => sausage(c, r, main),
            Bottle => bottle(c, r, main),
        }
    }
}

const SHADOW: Rgb = [0.16, 0.11, 0.08];
const CLAY: u32 = 0xcdb59a;
const LEAF: u32 = 0x5f8f3e;
const WOOD: u32 = 0xb8875a;

fn shadow(c: &mut Canvas, cx: f32, cy: f32, rx: f32, ry: f32) {
    c.glow(&Shape::ellipse(cx, cy, rx, ry), SHADOW, 0.3, 3.5);
}

/// A glaze: lit like a cylinder, speckled with iron spots when asked.
fn glaze_paint(
    glaze: Rgb,
    x0: f32,
    x1: f32,
    speckled: bool,
    seed: u32,
) -> impl Fn(f32, f32) -> Rgb {
    let cyl = cylinder(glaze, x0, x1);
    move |x, y| {
        let base = cyl(x, y);
        if speckled {
            mix(
                base,
                darken(glaze, 0.75),
                dots(x, y, 1.4, 0.22, 0.5, seed) * 0.8,
            )
        } else {
            base
        }
    }
}

/// Metal lit around a centre, optionally hammered into facets.
fn metal(m: Rgb, cx: f32, cy: f32, hammered: bool, seed: u32) -> impl Fn(f32, f32) -> Rgb {
    move |x, y| {
        let a = (y - cy).atan2(x - cx);
        let mut k = 0.8 + 0.28 * (a * 2.0 + 0.9).cos();
        if hammered {
            k *= 0.86 + 0.26 * hash2((x / 1.7).floor() as i32, (y / 1.7).floor() as i32, seed);
        }
        let spec =
            0.55 * (-((a + 2.3) / 0.22).powi(2)).exp() + 0.35 * (-((a - 0.9) / 0.15).powi(2)).exp();
        lighten(shade(m, k), spec)
    }
}

/// A leaf between a and b, `w` wide.
fn leaf(c: &mut Canvas, (ax, ay): (f32, f32), (bx, by): (f32, f32), w: f32, col: Rgb) {
    let l = ((bx - ax).powi(2) + (by - ay).powi(2)).sqrt();
    let (mx, my) = ((ax + bx) / 2.0, (ay + by) / 2.0);
    let deg = (by - ay).atan2(bx - ax) * 180.0 / PI;
    // Two overlapping circles whose common part is the leaf (a vesica).
    let rr = (l * l / 4.0 + w * w / 4.0) / w;
    let off = rr - w / 2.0;
    let s = Shape::circle(mx, my - off, rr)
        .inter(Shape::circle(mx, my + off, rr))
        .rotate(mx, my, deg);
    c.fill(
        &s,
        vertical(lighten(col, 0.15), shade(col, 0.8), my - w, my + w),
    );
    c.fill(
        &Shape::capsule(ax, ay, bx, by, 0.18),
        flat(lighten(col, 0.35)),
    );
}

fn bowl(c: &mut Canvas, r: &mut Rng, glaze: Rgb) {
    let seed = r.next_u32();
    let speckled = r.chance(0.6);
    let rx = r.range(29.0, 33.0);
    let depth = r.range(21.0, 26.0);
    let rim = 75.5 - depth;
    shadow(c, 52.0, 79.0, rx * 0.9, 4.5);
    let clay = hex(CLAY);
    c.fill(
        &Shape::rect(50.0, 76.5, rx * 0.36, 2.4, 1.0),
        cylinder(shade(clay, 0.92), 50.0 - rx * 0.36, 50.0 + rx * 0.36),
    );
    let body = Shape::ellipse(50.0, rim, rx, depth).below(rim);
    let g = glaze_paint(glaze, 50.0 - rx, 50.0 + rx, speckled, seed);
    let cl = cylinder(clay, 50.0 - rx, 50.0 + rx);
    let dip = rim + depth * 0.8;
    c.fill(&body, move |x, y| {
        if y > dip + 0.6 * (x * 0.7).sin() {
            cl(x, y)
        } else {
            shade(g(x, y), 1.0 - 0.2 * ((y - rim) / depth))
        }
    });
    let ry = depth * 0.3;
    let inner = vertical(shade(glaze, 0.58), shade(glaze, 0.95), rim - ry, rim + ry);
    c.fill(&Shape::ellipse(50.0, rim, rx - 0.7, ry), move |x, y| {
        let base = inner(x, y);
        if speckled {
            mix(
                base,
                darken(glaze, 0.75),
                dots(x, y, 1.4, 0.2, 0.5, seed) * 0.7,
            )
        } else {
            base
        }
    });
    c.fill(
        &Shape::ellipse(50.0, rim, rx - 0.35, ry).ring(0.45),
        flat(lighten(glaze, 0.32)),
    );
}

fn mug(c: &mut Canvas, r: &mut Rng, glaze: Rgb) {
    let seed = r.next_u32();
    let speckled = r.chance(0.5);
    let hw = r.range(14.0, 16.5);
    let top = r.range(34.0, 40.0);
    let bottom = 78.0;
    let cx = 46.0;
    let (cy, hh) = ((top + bottom) / 2.0, (bottom - top) / 2.0);
    shadow(c, cx + 5.0, 79.0, hw + 9.0, 4.0);
    let handle = Shape::ellipse(cx + hw + 1.0, cy + 1.0, 8.0, hh * 0.52)
        .ring(2.3)
        .right_of(cx + hw - 2.0);
    c.fill(
        &handle,
        cylinder(shade(glaze, 0.95), cx + hw, cx + hw + 11.0),
    );
    let g = glaze_paint(glaze, cx - hw, cx + hw, speckled, seed);
    let cl = cylinder(hex(CLAY), cx - hw, cx + hw);
    c.fill(&Shape::rect(cx, cy, hw, hh, 2.2), move |x, y| {
        if y > bottom - 6.0 + 0.7 * (x * 0.9).sin() {
            cl(x, y)
        } else {
            g(x, y)
        }
    });
    let ry = hw * 0.24;
    c.fill(
        &Shape::ellipse(cx, top, hw - 0.3, ry),
        vertical(shade(glaze, 0.42), shade(glaze, 0.8), top - ry, top + ry),
    );
    c.fill(
        &Shape::ellipse(cx, top, hw - 0.2, ry).ring(0.4),
        flat(lighten(glaze, 0.35)),
    );
}

fn platter(c: &mut Canvas, r: &mut Rng, glaze: Rgb) {
    let seed = r.next_u32();
    let speckled = r.chance(0.6);
    let (cx, cy) = (50.0, 60.0);
    let rx = r.range(37.0, 41.0);
    let ry = r.range(17.0, 20.0);
    shadow(c, cx + 2.0, cy + ry * 0.45, rx * 0.98, ry * 0.75);
    c.fill(
        &Shape::ellipse(cx, cy + 1.8, rx, ry),
        flat(shade(glaze, 0.66)),
    );
    let top = vertical(lighten(glaze, 0.15), shade(glaze, 0.9), cy - ry, cy + ry);
    c.fill(&Shape::ellipse(cx, cy, rx, ry), move |x, y| {
        let b = top(x, y);
        if speckled {
            mix(
                b,
                darken(glaze, 0.75),
                dots(x, y, 1.4, 0.2, 0.5, seed) * 0.7,
            )
        } else {
            b
        }
    });
    let well = vertical(shade(glaze, 0.8), lighten(glaze, 0.08), cy - ry, cy + ry);
    c.fill(
        &Shape::ellipse(cx, cy + 1.0, rx * 0.72, ry * 0.68),
        move |x, y| {
            let b = well(x, y);
            if speckled {
                mix(
                    b,
                    darken(glaze, 0.75),
                    dots(x, y, 1.4, 0.2, 0.5, seed) * 0.7,
                )
            } else {
                b
            }
        },
    );
    let band = if r.chance(0.5) {
        darken(glaze, 0.35)
    } else {
        lighten(glaze, 0.45)
    };
    c.fill(
        &Shape::ellipse(cx, cy + 0.5, rx * 0.86, ry * 0.84).ring(0.45),
        flat(band),
    );
    c.fill(
        &Shape::ellipse(cx, cy, rx, ry).ring(0.35).above(cy),
        flat(lighten(glaze, 0.4)),
    );
    // A sprig of olive leaves on the plate.
    let leaf_col = hex(0x7d8f5a);
    let (sx, sy) = (cx + r.range(-8.0, 8.0), cy + 1.0);
    c.fill(
        &Shape::capsule(sx - 12.0, sy + 3.0, sx + 12.0, sy - 2.0, 0.3),
        flat(hex(0x6a5a3a)),
    );
    for k in 0..6 {
        let t = k as f32 / 5.0;
        let (px, py) = (sx - 10.0 + 20.0 * t, sy + 2.5 - 4.5 * t);
        let side = if k % 2 == 0 { -1.0 } else { 1.0 };
        leaf(c, (px, py), (px + 3.5, py + side * 4.5), 2.0, leaf_col);
    }
}

fn vase(c: &mut Canvas, r: &mut Rng, glaze: Rgb) {
    let seed = r.next_u32();
    let cx = 50.0;
    let belly = r.range(12.5, 15.5);
    let by = 78.0 - belly * 0.9;
    let neck = r.range(3.8, 5.5);
    let top = r.range(30.0, 38.0);
    // Stems first: they stand behind the vase's mouth.
    let kind = r.next_u32() % 3;
    let stems = 3 + r.next_u32() % 3;
    for k in 0..stems {
        let t = k as f32 / (stems - 1) as f32 - 0.5;
        let (bx, byy) = (cx + t * 3.0, top + 3.0);
        let (tx, ty) = (cx + t * 34.0 + r.range(-3.0, 3.0), r.range(16.0, 23.0));
        c.fill(&Shape::capsule(bx, byy, tx, ty, 0.4), flat(hex(0x6b7a4a)));
        match kind {
            0 => {
                // Lavender: small purple buds along the last third.
                for b in 0..9 {
                    let s = b as f32 / 9.0;
                    let (px, py) = (tx + (bx - tx) * s * 0.35, ty + (byy - ty) * s * 0.35);
                    c.fill(
                        &Shape::ellipse(px, py, 1.1, 1.6),
                        sphere(hex(0x8a72b8), px, py, 1.6),
                    );
                }
            }
            1 => {
                // Eucalyptus: round grey-green leaves.
                for b in 0..5 {
                    let s = b as f32 / 5.0;
                    let (px, py) = (tx + (bx - tx) * s * 0.6, ty + (byy - ty) * s * 0.6);
                    let side = if b % 2 == 0 { -2.0 } else { 2.0 };
                    c.fill(
                        &Shape::circle(px + side, py, 2.1),
                        sphere(hex(0x8fa89a), px + side, py, 2.1),
                    );
                }
            }
            _ => {
                // A daisy-like flower.
                let petal = lighten(glaze, 0.75);
                for p in 0..8 {
                    let a = p as f32 * PI / 4.0;
                    let (px, py) = (tx + a.cos() * 2.6, ty + a.sin() * 2.6);
                    c.fill(&Shape::circle(px, py, 1.7), flat(petal));
                }
                c.fill(
                    &Shape::circle(tx, ty, 1.6),
                    sphere(hex(0xd9a441), tx, ty, 1.6),
                );
            }
        }
    }
    shadow(c, cx + 3.0, 79.0, belly + 5.0, 3.5);
    let body = Shape::circle(cx, by, belly)
        .blend(
            Shape::rect(cx, (top + by) / 2.0, neck, (by - top) / 2.0, 1.0),
            8.0,
        )
        .above(78.0);
    let g = glaze_paint(glaze, cx - belly, cx + belly, r.chance(0.5), seed);
    c.fill(&body, move |x, y| {
        shade(g(x, y), 0.94 + 0.08 * noise(x, y, 3.0, seed))
    });
    c.fill(
        &Shape::ellipse(cx, top, neck + 1.0, 1.5),
        flat(lighten(glaze, 0.25)),
    );
    c.fill(
        &Shape::ellipse(cx, top, neck - 0.4, 0.9),
        flat(shade(glaze, 0.35)),
    );
}

fn ring(c: &mut Canvas, r: &mut Rng, m: Rgb) {
    let seed = r.next_u32();
    let velvet = hex(r.pick(&[0x2c3e5c, 0x5c2c3a, 0x2f4a3a, 0x3a3a3a]));
    let cx = 50.0;
    shadow(c, cx + 2.0, 80.0, 26.0, 3.5);
    // The open lid behind, its satin lining, then the box with its cushion.
    c.fill(
        &Shape::rect(cx, 46.0, 23.0, 17.0, 3.0),
        vertical(lighten(velvet, 0.1), shade(velvet, 0.8), 29.0, 63.0),
    );
    c.fill(
        &Shape::rect(cx, 47.0, 20.0, 14.0, 2.0),
        vertical(lighten(velvet, 0.55), lighten(velvet, 0.3), 33.0, 61.0),
    );
    c.fill(
        &Shape::rect(cx, 72.0, 23.0, 8.0, 2.5),
        vertical(velvet, shade(velvet, 0.7), 64.0, 80.0),
    );
    c.fill(
        &Shape::rect(cx, 66.0, 21.0, 3.0, 1.5),
        vertical(lighten(velvet, 0.25), velvet, 63.0, 69.0),
    );
    // The ring stands in the cushion's slit.
    let (rx, ry) = (11.0, 13.0);
    let rcy = 53.0;
    let hammered = r.chance(0.5);
    c.fill(
        &Shape::ellipse(cx, rcy, rx, ry).ring(1.7).above(66.0),
        metal(m, cx, rcy, hammered, seed),
    );
    c.fill(
        &Shape::capsule(cx - 16.0, 66.0, cx + 16.0, 66.0, 0.35),
        flat(shade(velvet, 0.45)),
    );
    if r.chance(0.6) {
        let gem = hex(r.pick(&[0x3a6fb0, 0xb03a4a, 0x3aa07a, 0xf2f2f2]));
        let gy = rcy - ry - 2.2;
        for dx in [-2.4, 2.4] {
            c.fill(
                &Shape::capsule(cx + dx * 0.6, gy + 2.0, cx + dx, gy - 0.5, 0.45),
                flat(shade(m, 0.9)),
            );
        }
        c.fill(&Shape::circle(cx, gy, 2.8), sphere(gem, cx, gy, 2.8));
        c.fill(
            &Shape::circle(cx - 0.9, gy - 0.9, 0.6),
            flat(lighten(gem, 0.85)),
        );
    }
}

fn earrings(c: &mut Canvas, r: &mut Rng, m: Rgb, hoops: bool) {
    let seed = r.next_u32();
    // A kraft display card, the earrings hooked through it.
    let card = hex(r.pick(&[0xcfb48e, 0xe9e1d3, 0x3e3f44]));
    shadow(c, 53.0, 60.0, 31.0, 36.0);
    c.fill(
        &Shape::rect(50.0, 50.0, 29.0, 36.0, 1.5),
        vertical(lighten(card, 0.08), shade(card, 0.92), 14.0, 86.0),
    );
    for cx in [36.0, 64.0] {
        c.fill(&Shape::circle(cx, 24.0, 0.9), flat(shade(card, 0.5)));
        let hook = Shape::circle(cx, 27.0, 3.0)
            .ring(0.4)
            .above(27.0)
            .union(Shape::capsule(cx - 3.0, 27.0, cx - 3.0, 31.0, 0.4));
        c.fill(&hook, flat(lighten(m, 0.1)));
        let top = 32.0;
        c.fill(
            &Shape::circle(cx - 3.0, top, 1.1).ring(0.3),
            flat(shade(m, 0.9)),
        );
        if hoops {
            let (hx, hy, hr) = (cx - 3.0, top + 12.5, 11.5);
            let s = Shape::circle(hx, hy, hr).ring(1.2);
            c.glow(
                &Shape::circle(hx + 1.5, hy + 2.0, hr).ring(1.2),
                SHADOW,
                0.25,
                1.2,
            );
            c.fill(&s, metal(m, hx, hy, true, seed));
        } else {
            let (lx, ly) = (cx - 3.0, top + 14.0);
            let deg = if cx < 50.0 { 6.0 } else { -6.0 };
            let drop = Shape::circle(lx - 5.0, ly, 9.5)
                .inter(Shape::circle(lx + 5.0, ly, 9.5))
                .rotate(lx, ly, deg);
            c.glow(
                &Shape::circle(lx - 3.5, ly + 2.0, 9.5).inter(Shape::circle(
                    lx + 6.5,
                    ly + 2.0,
                    9.5,
                )),
                SHADOW,
                0.25,
                1.5,
            );
            let mp = metal(m, lx, ly, false, seed);
            c.fill(&drop, move |x, y| {
                // Gold leaf: a crinkled surface.
                shade(mp(x, y), 0.85 + 0.3 * noise(x, y, 1.2, seed))
            });
            let (ax, ay) = turn(lx, ly - 8.0, lx, ly, deg);
            let (bx, by) = turn(lx, ly + 8.0, lx, ly, deg);
            c.fill(&Shape::capsule(ax, ay, bx, by, 0.2), flat(shade(m, 0.7)));
            for k in 0..4 {
                let t = -5.0 + k as f32 * 3.2;
                for side in [-1.0, 1.0] {
                    let (p0x, p0y) = turn(lx, ly + t, lx, ly, deg);
                    let (p1x, p1y) = turn(lx + side * 3.2, ly + t - 2.5, lx, ly, deg);
                    c.fill(
                        &Shape::capsule(p0x, p0y, p1x, p1y, 0.14),
                        flat(shade(m, 0.72)),
                    );
                }
            }
        }
    }
}

fn necklace(c: &mut Canvas, r: &mut Rng, m: Rgb) {
    let seed = r.next_u32();
    let sag = r.range(36.0, 44.0);
    let mut pts = Vec::new();
    let n = 90;
    for i in 0..=n {
        let t = i as f32 / n as f32;
        let x = 18.0 + 64.0 * t;
        let y = 16.0 + sag * (1.0 - (2.0 * t - 1.0).powi(2)) + 2.0 * (t * PI * 3.0).sin();
        pts.push((x, y));
    }
    // The shadow along a coarser line; the chain segment by segment (each fill only
    // visits its own few pixels).
    let shadow_pts: Vec<(f32, f32)> = pts
        .iter()
        .step_by(6)
        .map(|(x, y)| (x + 0.9, y + 1.3))
        .collect();
    c.glow(&Shape::path(&shadow_pts, 0.7), SHADOW, 0.3, 0.8);
    for w in pts.windows(2) {
        c.fill(
            &Shape::capsule(w[0].0, w[0].1, w[1].0, w[1].1, 0.45),
            flat(shade(m, 0.75)),
        );
    }
    for (i, (x, y)) in pts.iter().enumerate() {
        if i % 2 == 0 {
            c.fill(
                &Shape::circle(*x, *y, 0.85).ring(0.26),
                metal(m, *x, *y, false, seed),
            );
        }
    }
    let (px, py) = pts[n / 2];
    c.fill(
        &Shape::circle(px, py + 1.6, 1.3).ring(0.4),
        flat(shade(m, 0.95)),
    );
    let cy = py + 9.0;
    c.glow(&Shape::circle(px + 1.2, cy + 1.8, 5.8), SHADOW, 0.3, 1.5);
    if r.chance(0.5) {
        // A hammered medallion.
        c.fill(&Shape::circle(px, cy, 5.5), metal(m, px, cy, true, seed));
        c.fill(&Shape::circle(px, cy, 5.5).ring(0.3), flat(lighten(m, 0.3)));
    } else {
        // A drop-cut stone in a bezel.
        let gem = hex(r.pick(&[0x3a6fb0, 0x7a3ab0, 0x3aa07a, 0xd0e8f0]));
        let drop = Shape::circle(px, cy + 1.0, 4.6).blend(Shape::circle(px, cy - 4.6, 0.8), 6.0);
        c.fill(&drop.grow(0.9), metal(m, px, cy, false, seed));
        let drop = Shape::circle(px, cy + 1.0, 4.6).blend(Shape::circle(px, cy - 4.6, 0.8), 6.0);
        c.fill(&drop, sphere(gem, px, cy + 0.5, 5.0));
    }
}

/// Woven cloth: a fine weave texture over a colour.
fn weave(col: Rgb, x: f32, y: f32, seed: u32) -> Rgb {
    let w = 0.94 + 0.04 * (x * 9.0).sin() * (y * 9.0).cos() + 0.04 * noise(x, y, 0.6, seed);
    shade(col, w)
}

fn scarf(c: &mut Canvas, r: &mut Rng, col: Rgb) {
    let seed = r.next_u32();
    let accent = if r.chance(0.5) {
        lighten(col, 0.55)
    } else {
        hex(r.pick(&[0xd9a441, 0xe6dcc6, 0x2f4f4f]))
    };
    let amp = r.range(6.0, 9.0);
    let phase = r.range(0.0, 1.0);
    let curve = move |x: f32| 56.0 + amp * ((x - 16.0) / 68.0 * 2.0 * PI + phase).sin();
    let pts: Vec<(f32, f32)> = (0..=24)
        .map(|i| {
            let x = 16.0 + 68.0 * i as f32 / 24.0;
            (x, curve(x))
        })
        .collect();
    let half = 9.5;
    let shadow_pts: Vec<(f32, f32)> = pts
        .iter()
        .step_by(3)
        .map(|(x, y)| (x + 1.5, y + 3.0))
        .collect();
    c.glow(&Shape::path(&shadow_pts, half), SHADOW, 0.28, 2.5);
    let stripes = r.chance(0.6);
    let paint = move |x: f32, y: f32| {
        let mid = curve(x);
        let across = (y - mid) / half;
        let base = if stripes && ((across * 3.0 + 3.0) as i32) % 2 == 0 {
            accent
        } else {
            col
        };
        let fold = 0.86 + 0.16 * ((x - 16.0) / 68.0 * 2.0 * PI + phase + 0.9).cos();
        weave(shade(base, fold * (1.0 - 0.08 * across)), x, y, seed)
    };
    // Opaque, so drawn a segment at a time: each fill visits only its own pixels. The ends
    // are cut straight.
    for w in pts.windows(2) {
        c.fill(
            &Shape::capsule(w[0].0, w[0].1, w[1].0, w[1].1, half)
                .inter(Shape::rect(50.0, 50.0, 34.0, 50.0, 0.0)),
            paint,
        );
    }
    // Fringes at both ends.
    for (ex, dir) in [(16.0, -1.0), (84.0, 1.0)] {
        let ey = curve(ex);
        for k in 0..11 {
            let t = -half * 0.9 + k as f32 * half * 0.18;
            c.fill(
                &Shape::capsule(ex, ey + t, ex + dir * 5.5, ey + t + 0.6, 0.32),
                flat(shade(col, 0.85)),
            );
        }
    }
}

fn tea_towels(c: &mut Canvas, r: &mut Rng, stripe: Rgb) {
    let seed = r.next_u32();
    let linen = hex(r.pick(&[0xeee6d8, 0xe4d9c6, 0xf4f1ea]));
    shadow(c, 52.0, 77.0, 34.0, 4.0);
    for (cy, hh, deg, off) in [(68.0, 8.0, 0.0, 0.0), (54.5, 6.8, -3.0, 3.0)] {
        let (cx, hw) = (50.0 + off, 31.0);
        let s = Shape::rect(cx, cy, hw, hh, 2.5).rotate(cx, cy, deg);
        c.glow(
            &Shape::rect(cx + 1.0, cy + 2.0, hw, hh, 2.5).rotate(cx, cy, deg),
            SHADOW,
            0.22,
            1.5,
        );
        c.fill(&s, move |x, y| {
            let (lx, ly) = turn(x, y, cx, cy, -deg);
            let u = (lx - cx).abs();
            let is_stripe = (hw - 9.0..hw - 7.0).contains(&u) || (hw - 5.5..hw - 4.5).contains(&u);
            let base = if is_stripe { stripe } else { linen };
            let k = 1.0 - 0.12 * ((ly - (cy - hh)) / (2.0 * hh));
            weave(shade(base, k), x, y, seed)
        });
        c.fill(
            &Shape::rect(cx, cy, hw, hh, 2.5)
                .ring(0.35)
                .above(cy - hh + 1.0)
                .rotate(cx, cy, deg),
            flat(lighten(linen, 0.5)),
        );
    }
    // The hanging loop of the top towel.
    let (lx, ly) = turn(22.0, 50.0, 53.0, 54.5, -3.0);
    c.fill(
        &Shape::ellipse(lx - 3.0, ly, 3.5, 2.2).ring(0.45),
        flat(shade(stripe, 0.9)),
    );
}

fn flame(c: &mut Canvas, x: f32, y: f32, size: f32) {
    c.glow(
        &Shape::circle(x, y - size * 1.2, size * 5.0),
        hex(0xffd27a),
        0.22,
        size * 4.0,
    );
    let f = Shape::circle(x, y - size * 0.9, size)
        .blend(Shape::circle(x, y - size * 3.4, size * 0.15), size * 2.6);
    c.fill(
        &f,
        vertical(hex(0xfff6d8), hex(0xffb347), y - size * 3.5, y),
    );
    c.fill(
        &Shape::ellipse(x, y - size * 0.55, size * 0.45, size * 0.6),
        flat(hex(0x8ab0e0)),
    );
}

fn candle(c: &mut Canvas, r: &mut Rng, wax: Rgb) {
    let seed = r.next_u32();
    let beeswax = wax[0] > 0.8 && wax[2] < 0.45;
    let pair = r.chance(0.6);
    let specs: Vec<(f32, f32, f32)> = if pair {
        vec![(35.0, 11.0, 52.0), (58.0, 13.0, r.range(34.0, 42.0))]
    } else {
        vec![(50.0, 13.5, r.range(32.0, 40.0))]
    };
    for (cx, hw, top) in specs {
        shadow(c, cx + 3.0, 79.0, hw + 5.0, 3.2);
        let body = Shape::rect(cx, (top + 78.0) / 2.0, hw, (78.0 - top) / 2.0, 1.2);
        let cyl = cylinder(wax, cx - hw, cx + hw);
        c.fill(&body, move |x, y| {
            let mut col = cyl(x, y);
            if beeswax {
                // Rolled honeycomb sheet: a fine hexagonal relief.
                let hx = (x * 1.2).sin() * (y * 1.4 + (x * 0.6).floor()).sin();
                col = shade(col, 0.93 + 0.07 * hx);
            }
            shade(col, 0.97 + 0.05 * noise(x, y, 2.0, seed))
        });
        let ry = hw * 0.26;
        c.fill(
            &Shape::ellipse(cx, top, hw - 0.2, ry),
            flat(lighten(wax, 0.22)),
        );
        c.fill(
            &Shape::ellipse(cx, top + 0.2, hw * 0.6, ry * 0.55),
            flat(shade(wax, 0.9)),
        );
        c.fill(
            &Shape::capsule(cx, top, cx + 0.3, top - 3.5, 0.35),
            flat(hex(0x2a2420)),
        );
        flame(c, cx + 0.3, top - 3.2, 1.9);
    }
}

/// A glass jar: its contents (painted by `inside`), the glass, a lid.
fn jar(
    c: &mut Canvas,
    (cx, top, hw): (f32, f32, f32),
    (fill_to, surface): (f32, Rgb),
    inside: impl Fn(f32, f32) -> Rgb,
    lid: Option<Rgb>,
) {
    let (cy, hh) = ((top + 78.0) / 2.0, (78.0 - top) / 2.0);
    shadow(c, cx + 3.0, 79.0, hw + 6.0, 3.5);
    // The empty top of the jar shows the backdrop through glass: a pale tint.
    c.fill_with(
        &Shape::rect(cx, cy, hw, hh, 3.0),
        flat([0.93, 0.95, 0.96]),
        0.35,
        0.0,
    );
    c.fill(&Shape::rect(cx, cy, hw, hh, 3.0).below(fill_to), inside);
    c.fill(
        &Shape::ellipse(cx, fill_to, hw - 0.6, hw * 0.18),
        flat(surface),
    );
    // Glass: an edge line and a long highlight on the left.
    c.fill_with(
        &Shape::rect(cx, cy, hw, hh, 3.0).ring(0.4),
        flat([0.95, 0.97, 0.98]),
        0.7,
        0.0,
    );
    c.fill_with(
        &Shape::capsule(cx - hw + 2.6, top + 5.0, cx - hw + 2.6, 74.0, 0.9),
        flat([1.0, 1.0, 1.0]),
        0.55,
        0.5,
    );
    if let Some(l) = lid {
        c.fill(
            &Shape::rect(cx, top - 1.8, hw + 0.8, 2.6, 0.9),
            cylinder(l, cx - hw, cx + hw),
        );
    }
}

fn jar_candle(c: &mut Canvas, r: &mut Rng, wax: Rgb) {
    let seed = r.next_u32();
    let (cx, top, hw) = (50.0, r.range(44.0, 50.0), r.range(13.0, 15.0));
    let fill_to = top + 5.0;
    let cyl = cylinder(wax, cx - hw, cx + hw);
    jar(
        c,
        (cx, top, hw),
        (fill_to, lighten(wax, 0.15)),
        move |x, y| shade(cyl(x, y), 0.96 + 0.06 * noise(x, y, 2.0, seed)),
        None,
    );
    // A kraft label with a sprig.
    let label_y = (fill_to + 78.0) / 2.0 + 2.0;
    c.fill(
        &Shape::rect(cx, label_y, hw * 0.7, 6.0, 0.8),
        flat(hex(0xd9c4a0)),
    );
    leaf(
        c,
        (cx - 4.0, label_y + 2.5),
        (cx + 4.0, label_y - 2.5),
        2.4,
        hex(LEAF),
    );
    c.fill(
        &Shape::capsule(cx, fill_to, cx + 0.2, fill_to - 3.0, 0.3),
        flat(hex(0x2a2420)),
    );
    flame(c, cx + 0.2, fill_to - 2.8, 1.6);
}

fn soap(c: &mut Canvas, r: &mut Rng, col: Rgb) {
    let seed = r.next_u32();
    shadow(c, 52.0, 75.0, 30.0, 5.0);
    for (cx, cy, deg) in [(44.0, 66.0, -4.0), (58.0, 55.0, 6.0)] {
        let front = Shape::rect(cx, cy + 4.0, 16.0, 6.0, 3.0).rotate(cx, cy, deg);
        c.fill(&front, move |x, y| {
            shade(col, 0.8 + 0.06 * noise(x, y, 1.5, seed))
        });
        let top = Shape::rect(cx, cy, 15.5, 6.0, 3.5).rotate(cx, cy, deg);
        c.fill(&top, move |x, y| {
            let base = lighten(col, 0.12);
            let speck = dots(x, y, 1.6, 0.18, 0.35, seed);
            shade(
                mix(base, shade(col, 0.7), speck * 0.5),
                0.98 + 0.05 * noise(x, y, 1.2, seed),
            )
        });
        c.fill(
            &Shape::ellipse(cx, cy, 8.0, 3.2)
                .ring(0.35)
                .rotate(cx, cy, deg),
            flat(shade(col, 0.85)),
        );
    }
    // A sprig beside the soap.
    let sprig = if col[2] > col[1] {
        hex(0x8a72b8)
    } else {
        hex(LEAF)
    };
    c.fill(
        &Shape::capsule(70.0, 76.0, 84.0, 62.0, 0.35),
        flat(hex(0x6b7a4a)),
    );
    for b in 0..6 {
        let t = b as f32 / 6.0;
        let (px, py) = (84.0 - 7.0 * t, 62.0 + 7.0 * t);
        c.fill(
            &Shape::ellipse(px, py, 1.0, 1.4),
            sphere(sprig, px, py, 1.4),
        );
    }
}

fn bag(c: &mut Canvas, r: &mut Rng, col: Rgb) {
    let seed = r.next_u32();
    let canvas_col = hex(r.pick(&[0xe9dfcb, 0xd8c4a0, 0xefe9df]));
    let (cx, top, bottom) = (50.0, 40.0, 79.0);
    shadow(c, cx + 3.0, 79.5, 26.0, 3.5);
    for hx in [cx - 8.0, cx + 8.0] {
        c.fill(
            &Shape::ellipse(hx, top, 5.5, 13.0)
                .ring(1.1)
                .above(top + 1.0),
            move |x, y| weave(shade(col, 0.9), x, y, seed),
        );
    }
    let body =
        Shape::trapezoid(cx, (top + bottom) / 2.0, 19.0, 22.0, (bottom - top) / 2.0).grow(0.8);
    c.fill(&body, move |x, y| {
        let k = 1.0 - 0.1 * ((y - top) / (bottom - top)) - 0.06 * ((x - cx) / 22.0);
        weave(shade(canvas_col, k), x, y, seed)
    });
    c.fill(
        &Shape::rect(cx, top + 4.5, 20.5, 2.2, 0.0).inter(
            Shape::trapezoid(cx, (top + bottom) / 2.0, 19.0, 22.0, (bottom - top) / 2.0).grow(0.8),
        ),
        move |x, y| weave(col, x, y, seed),
    );
    // A printed leaf.
    leaf(c, (cx - 6.0, 66.0), (cx + 6.0, 56.0), 6.0, col);
}

fn crochet_bag(c: &mut Canvas, r: &mut Rng, yarn: Rgb) {
    let seed = r.next_u32();
    let (cx, top) = (50.0, 44.0);
    shadow(c, cx + 3.0, 79.5, 24.0, 3.5);
    // Rope handles, twisted.
    for hx in [cx - 7.0, cx + 7.0] {
        c.fill(
            &Shape::ellipse(hx, top, 6.0, 15.0)
                .ring(1.4)
                .above(top + 1.0),
            move |x, y| shade(yarn, 0.8 + 0.2 * ((x + y) * 2.2).sin().abs()),
        );
    }
    // A rounded net: knots of yarn around diamond-shaped holes, oranges showing through.
    let body = Shape::ellipse(cx, 62.0, 21.0, 17.0)
        .blend(Shape::rect(cx, top + 5.0, 16.0, 5.0, 2.0), 8.0)
        .above(79.0);
    let fruit = hex(0xe8872a);
    c.fill(&body, move |x, y| {
        let (u, v) = ((x + y) / 4.6, (x - y) / 4.6);
        let (du, dv) = (u - u.round(), v - v.round());
        let d = (du * du + dv * dv).sqrt();
        let depth = 1.0 - 0.25 * ((x - cx) / 21.0).powi(2);
        let inside = shade(
            mix(fruit, darken(fruit, 0.5), noise(x, y, 5.0, seed)),
            0.75 * depth,
        );
        let knot = shade(yarn, (0.8 + 0.6 * (d - 0.44)) * depth);
        // Soft edged holes (a pixel or so at any size).
        mix(inside, knot, (d - 0.44) / 0.04)
    });
    c.fill(&Shape::rect(cx, top + 0.8, 16.5, 1.8, 0.9), move |x, _| {
        shade(yarn, 0.85 + 0.2 * (x * 2.5).sin().abs())
    });
}

fn knit(col: Rgb, x: f32, y: f32) -> Rgb {
    // Rows of little V stitches.
    let row = (y / 1.6).floor();
    let v = ((x / 1.4 + row * 0.5).fract() - 0.5).abs() * 2.0;
    let t = ((y / 1.6).fract() - v * 0.5).abs();
    shade(col, 0.84 + 0.22 * (1.0 - t).powi(2))
}

fn beanie(c: &mut Canvas, r: &mut Rng, col: Rgb) {
    let seed = r.next_u32();
    let (cx, band_y) = (50.0, 68.0);
    shadow(c, cx + 3.0, 78.5, 27.0, 3.8);
    let dome = Shape::ellipse(cx, band_y, 21.0, 27.0).above(band_y);
    c.fill(&dome, move |x, y| {
        let k = 1.05 - 0.25 * ((x - cx + 8.0) / 30.0).abs();
        shade(knit(col, x, y), k)
    });
    let ribs = Shape::rect(cx, band_y + 4.5, 22.5, 6.0, 2.5);
    c.fill(&ribs, move |x, y| {
        let rib = 0.82 + 0.22 * ((x * 2.0).sin() * 0.5 + 0.5);
        shade(col, rib * (1.0 - 0.05 * (y - band_y) / 6.0))
    });
    let pom = hex(r.pick(&[0xeee6d8, 0x3e3f44]));
    let pom = mix(pom, col, 0.3);
    let (px, py) = (cx, band_y - 28.0);
    c.fill_with(
        &Shape::circle(px, py, 7.5),
        move |x, y| {
            let s = sphere(pom, px, py, 7.5)(x, y);
            shade(s, 0.85 + 0.3 * noise(x, y, 0.5, seed))
        },
        1.0,
        0.9,
    );
}

fn mittens(c: &mut Canvas, r: &mut Rng, col: Rgb) {
    let motif = hex(r.pick(&[0xf4f1ea, 0xd9a441, 0x2f4f4f]));
    shadow(c, 52.0, 79.0, 32.0, 3.8);
    for (cx, deg, thumb) in [(37.0, -9.0, 1.0), (63.0, 9.0, -1.0)] {
        let cy = 50.0;
        let hand = Shape::rect(cx, cy, 10.0, 16.0, 9.0)
            .union(Shape::capsule(
                cx + thumb * 9.0,
                cy + 5.0,
                cx + thumb * 13.0,
                cy - 3.0,
                3.6,
            ))
            .rotate(cx, cy + 20.0, deg);
        c.fill(&hand, move |x, y| {
            let (lx, ly) = turn(x, y, cx, cy + 20.0, -deg);
            let band = ((ly - (cy - 2.0)).abs() < 3.0)
                && (((lx - cx) / 2.0).round() as i32 + ((ly - cy) / 2.0).round() as i32) % 2 == 0;
            let base = if band { motif } else { col };
            shade(
                knit(base, lx, ly),
                1.0 - 0.12 * ((lx - cx + 6.0) / 16.0).abs(),
            )
        });
        let cuff = Shape::rect(cx, cy + 19.0, 10.5, 5.0, 1.5).rotate(cx, cy + 20.0, deg);
        c.fill(&cuff, move |x, y| {
            let (lx, _) = turn(x, y, cx, cy + 20.0, -deg);
            shade(col, 0.8 + 0.22 * ((lx * 2.0).sin() * 0.5 + 0.5))
        });
    }
}

/// A small landscape (sky, sun, hills, maybe roofs) clipped to `frame`, turned by `deg`
/// around (cx, cy).
fn landscape(
    c: &mut Canvas,
    r: &mut Rng,
    frame: &dyn Fn() -> Shape,
    (cx, cy, hw, hh, deg): (f32, f32, f32, f32, f32),
    col: Rgb,
    soft: f32,
) {
    let sky = lighten(hex(r.pick(&[0x9cc3d9, 0xf2c9a0, 0xcfe0e8, 0xf0e0b0])), 0.2);
    let top = cy - hh;
    c.fill_with(
        &frame(),
        vertical(lighten(sky, 0.3), sky, top, cy + hh),
        1.0,
        0.0,
    );
    let sun = hex(r.pick(&[0xe8a33a, 0xd9603a, 0xf2d06a]));
    let (sx, sy) = turn(cx + r.range(-0.5, 0.5) * hw, cy - hh * 0.45, cx, cy, deg);
    c.fill_with(
        &Shape::circle(sx, sy, hw * 0.18).inter(frame()),
        flat(sun),
        1.0,
        soft,
    );
    let layers = 3;
    for k in 0..layers {
        let t = k as f32 / (layers - 1) as f32;
        let hill_col = mix(lighten(col, 0.45), shade(col, 0.7), t);
        let hy = cy - hh * 0.05 + hh * 0.35 * t;
        let hx = cx + r.range(-0.6, 0.6) * hw;
        let rad = hw * r.range(0.9, 1.4);
        let (px, py) = turn(hx, hy + rad, cx, cy, deg);
        c.fill_with(
            &Shape::circle(px, py, rad).inter(frame()),
            flat(hill_col),
            1.0,
            soft,
        );
    }
    if r.chance(0.5) {
        // Roofs of a town on the last hill.
        let roof = hex(0xb5533c);
        let n = 5;
        for k in 0..n {
            let x = cx - hw * 0.6 + hw * 1.2 * k as f32 / (n - 1) as f32;
            let base = cy + hh * 0.55;
            let h = hh * r.range(0.18, 0.3);
            let w = hw * 0.12;
            let wall = Shape::rect(x, base - h / 2.0, w, h / 2.0, 0.0).rotate(cx, cy, deg);
            c.fill(&wall.inter(frame()), flat(hex(0xf0e2c8)));
            let pts: Vec<(f32, f32)> = [
                (x - w * 1.2, base - h),
                (x + w * 1.2, base - h),
                (x, base - h - w * 1.1),
            ]
            .iter()
            .map(|(px, py)| turn(*px, *py, cx, cy, deg))
            .collect();
            c.fill(&Shape::polygon(&pts).inter(frame()), flat(roof));
        }
    }
}

fn framed(c: &mut Canvas, r: &mut Rng, col: Rgb, watercolour: bool) {
    let frame_col = hex(r.pick(&[0x2a2420, 0xc8a06a, 0xf2efe8, 0x6a4a32]));
    let (cx, cy) = (50.0, 45.0);
    let (hw, hh) = if r.chance(0.5) {
        (27.0, 34.0)
    } else {
        (33.0, 27.0)
    };
    c.glow(
        &Shape::rect(cx + 2.5, cy + 3.0, hw, hh, 0.5),
        SHADOW,
        0.35,
        3.0,
    );
    c.fill(
        &Shape::rect(cx, cy, hw, hh, 0.6),
        cylinder(frame_col, cx - hw, cx + hw),
    );
    let paper = hex(0xf7f3ea);
    let mat = if watercolour { 2.0 } else { 5.0 };
    c.fill(&Shape::rect(cx, cy, hw - 2.0, hh - 2.0, 0.0), flat(paper));
    let (aw, ah) = (hw - 2.0 - mat, hh - 2.0 - mat);
    let soft = if watercolour { 0.7 } else { 0.0 };
    landscape(
        c,
        r,
        &move || Shape::rect(cx, cy, aw, ah, 0.0),
        (cx, cy, aw, ah, 0.0),
        col,
        soft,
    );
    if watercolour {
        // Paper grain over the wash.
        c.fill_with(
            &Shape::rect(cx, cy, aw, ah, 0.0),
            move |x, y| shade(paper, 0.9 + 0.1 * noise(x, y, 0.8, 7)),
            0.18,
            0.0,
        );
    }
}

fn postcards(c: &mut Canvas, r: &mut Rng, col: Rgb) {
    let cards = [(36.0, 58.0, -14.0), (64.0, 60.0, 11.0), (50.0, 52.0, -2.0)];
    for (k, (cx, cy, deg)) in cards.into_iter().enumerate() {
        let (hw, hh) = (17.0, 12.0);
        c.glow(
            &Shape::rect(cx + 1.2, cy + 1.8, hw, hh, 0.6).rotate(cx, cy, deg),
            SHADOW,
            0.3,
            1.6,
        );
        c.fill(
            &Shape::rect(cx, cy, hw, hh, 0.6).rotate(cx, cy, deg),
            flat(hex(0xf7f3ea)),
        );
        let (aw, ah) = (hw - 1.8, hh - 1.8);
        let tint = mix(
            col,
            hex(r.pick(&[0xc9683f, 0x4f7a4f, 0x2f5d8c])),
            0.2 * k as f32,
        );
        landscape(
            c,
            r,
            &move || Shape::rect(cx, cy, aw, ah, 0.0).rotate(cx, cy, deg),
            (cx, cy, aw, ah, deg),
            tint,
            0.0,
        );
    }
}

fn honey_jar(c: &mut Canvas, r: &mut Rng, honey: Rgb) {
    let seed = r.next_u32();
    let (cx, top, hw) = (44.0, r.range(38.0, 46.0), r.range(14.0, 16.0));
    let lid = hex(r.pick(&[0xd4af37, 0xc0c4c8, 0x3e3f44]));
    jar(
        c,
        (cx, top, hw),
        (top + 3.0, lighten(honey, 0.3)),
        move |x, y| {
            // Light passes through honey: brighter in the middle, deep at the edges.
            let t = ((x - cx) / hw).abs();
            let k = 1.18 - 0.45 * t * t;
            shade(
                mix(
                    lighten(honey, 0.15),
                    shade(honey, 0.75),
                    (y - top) / (78.0 - top),
                ),
                k + 0.04 * noise(x, y, 2.5, seed),
            )
        },
        Some(lid),
    );
    let label = hex(0xf2ead8);
    let ly = (top + 78.0) / 2.0 + 3.0;
    c.fill(&Shape::rect(cx, ly, hw * 0.72, 7.0, 0.8), flat(label));
    // A hexagon, the beekeeper's mark.
    let hex_pts: Vec<(f32, f32)> = (0..6)
        .map(|k| {
            let a = k as f32 * PI / 3.0;
            (cx + 3.6 * a.cos(), ly + 3.6 * a.sin())
        })
        .collect();
    c.fill(&Shape::polygon(&hex_pts), flat(shade(honey, 0.9)));
    // A wooden dipper leaning on the jar.
    let (dx, dy) = (71.0, 76.0);
    c.glow(
        &Shape::capsule(dx + 2.0, dy + 2.0, 86.0, 50.0, 1.2),
        SHADOW,
        0.25,
        1.5,
    );
    c.fill(
        &Shape::capsule(dx, dy, 84.0, 47.0, 1.0),
        tube(hex(WOOD), (dx, dy, 1.0), (84.0, 47.0, 1.0)),
    );
    let head = Shape::ellipse(dx, dy - 1.0, 4.5, 5.5).rotate(dx, dy, 24.0);
    let wood = hex(WOOD);
    c.fill(&head, move |x, y| {
        let ridge = 0.85 + 0.18 * ((y - dy) * 2.4).sin().abs();
        shade(sphere(wood, dx, dy - 1.0, 5.5)(x, y), ridge)
    });
    c.fill_with(
        &Shape::ellipse(dx, dy + 2.0, 3.0, 4.0),
        sphere(honey, dx, dy + 2.0, 4.0),
        0.85,
        0.0,
    );
}

fn jam_jar(c: &mut Canvas, r: &mut Rng, jam: Rgb) {
    let seed = r.next_u32();
    let (cx, top, hw) = (46.0, r.range(40.0, 46.0), r.range(13.0, 15.0));
    jar(
        c,
        (cx, top, hw),
        (top + 2.0, lighten(jam, 0.2)),
        move |x, y| {
            let t = ((x - cx) / hw).abs();
            let fruit = dots(x, y, 2.2, 0.6, 0.5, seed);
            shade(
                mix(jam, lighten(jam, 0.3), fruit * 0.6),
                1.05 - 0.35 * t * t,
            )
        },
        None,
    );
    // A gingham cloth over the lid, tied with string.
    let gingham = hex(r.pick(&[0xb0263a, 0x2f5d8c, 0x4f7a4f]));
    let cloth = Shape::rect(cx, top - 1.5, hw + 3.5, 3.5, 1.5).union((0..7).fold(
        Shape::circle(cx - hw - 2.5, top + 2.0, 1.6),
        |acc, k| {
            acc.union(Shape::circle(
                cx - hw - 2.5 + k as f32 * (2.0 * hw + 5.0) / 6.0,
                top + 2.0,
                1.6,
            ))
        },
    ));
    c.fill(&cloth, move |x, y| {
        let a = ((x / 2.2).floor() as i32).rem_euclid(2);
        let b = ((y / 2.2).floor() as i32).rem_euclid(2);
        let base = match a + b {
            0 => [0.97, 0.96, 0.94],
            1 => mix(gingham, WHITE, 0.45),
            _ => gingham,
        };
        shade(base, 1.0 - 0.1 * (y - top + 5.0) / 8.0)
    });
    c.fill(
        &Shape::rect(cx, top + 0.6, hw + 1.0, 0.5, 0.2),
        flat(hex(0x9a7a4a)),
    );
    let ly = (top + 78.0) / 2.0 + 4.0;
    c.fill(
        &Shape::rect(cx, ly, hw * 0.7, 6.0, 3.0),
        flat(hex(0xf2ead8)),
    );
    // The fruit it was made of, beside the jar.
    for (fx, fy, fr) in [(70.0, 72.0, 6.5), (80.0, 75.0, 5.0)] {
        shadow(c, fx + 1.5, fy + fr * 0.8, fr, 1.6);
        c.fill(
            &Shape::circle(fx, fy, fr),
            sphere(lighten(jam, 0.15), fx, fy, fr),
        );
    }
    leaf(c, (70.0, 66.0), (75.0, 62.0), 2.4, hex(LEAF));
}

fn cheese(c: &mut Canvas, r: &mut Rng, paste: Rgb) {
    let seed = r.next_u32();
    let rind = hex(r.pick(&[0xa88a5a, 0x8a7a62, 0xc89a5a]));
    // The wheel, on a board.
    let board = hex(WOOD);
    shadow(c, 52.0, 80.0, 40.0, 4.0);
    c.fill(
        &Shape::rect(50.0, 77.0, 40.0, 3.2, 1.5),
        vertical(lighten(board, 0.1), shade(board, 0.8), 74.0, 80.0),
    );
    let (wx, wy, wr) = (34.0, 58.0, 20.0);
    let cyl = cylinder(rind, wx - wr, wx + wr);
    c.fill(&Shape::rect(wx, wy + 6.0, wr, 7.5, 2.0), move |x, y| {
        shade(cyl(x, y), 0.9 + 0.12 * noise(x, y, 1.5, seed))
    });
    c.fill(&Shape::ellipse(wx, wy, wr, 6.0), move |x, y| {
        mix(lighten(rind, 0.1), paste, 0.15 * noise(x, y, 2.0, seed))
    });
    // The wedge cut from it.
    let a = (58.0, 52.0);
    let b = (86.0, 60.0);
    let cc = (64.0, 62.0);
    let front = [
        (cc.0, cc.1),
        (b.0, b.1),
        (b.0, b.1 + 12.0),
        (cc.0, cc.1 + 13.0),
    ];
    let side = [
        (a.0, a.1),
        (cc.0, cc.1),
        (cc.0, cc.1 + 13.0),
        (a.0, a.1 + 12.0),
    ];
    c.fill(&Shape::polygon(&side), flat(shade(rind, 0.9)));
    c.fill(&Shape::polygon(&front), move |x, y| {
        let holes = dots(x, y, 3.5, 0.9, 0.45, seed);
        shade(mix(paste, shade(paste, 0.72), holes), 0.92)
    });
    c.fill(&Shape::polygon(&[a, b, cc]), move |x, y| {
        let holes = dots(x, y, 3.5, 0.7, 0.3, seed ^ 9);
        mix(lighten(paste, 0.12), shade(paste, 0.8), holes)
    });
}

fn goat_cheese(c: &mut Canvas, r: &mut Rng, white: Rgb) {
    let seed = r.next_u32();
    let slate = hex(0x3e3f44);
    shadow(c, 52.0, 79.0, 40.0, 4.0);
    c.fill(&Shape::rect(50.0, 75.0, 40.0, 5.0, 1.5), move |x, y| {
        shade(slate, 0.9 + 0.15 * noise(x, y, 2.5, seed))
    });
    c.fill(
        &Shape::rect(50.0, 72.5, 39.0, 2.5, 1.0),
        flat(lighten(slate, 0.12)),
    );
    let ash = r.chance(0.5);
    for (k, (cx, base)) in [(30.0, 70.0), (52.0, 72.0), (73.0, 70.0)]
        .into_iter()
        .enumerate()
    {
        let (hw, h) = (9.0, 9.0);
        let rind = if ash && k == 1 { hex(0x8a8a88) } else { white };
        c.fill(
            &Shape::rect(cx, base - h / 2.0, hw, h / 2.0, 1.5),
            move |x, y| {
                let b = cylinder(rind, cx - hw, cx + hw)(x, y);
                shade(b, 0.92 + 0.1 * noise(x, y, 0.9, seed))
            },
        );
        c.fill(&Shape::ellipse(cx, base - h, hw, 2.6), move |x, y| {
            mix(lighten(rind, 0.3), shade(rind, 0.9), noise(x, y, 0.8, seed))
        });
    }
    // A sprig of thyme.
    for b in 0..7 {
        let t = b as f32 / 7.0;
        let (px, py) = (40.0 + 22.0 * t, 78.0 - 2.0 * t);
        leaf(c, (px, py), (px + 1.6, py - 1.6), 0.9, hex(0x6a8a4a));
    }
}

fn bread(c: &mut Canvas, r: &mut Rng, crust: Rgb) {
    let seed = r.next_u32();
    let board = hex(WOOD);
    shadow(c, 52.0, 80.0, 40.0, 4.0);
    c.fill(
        &Shape::rect(50.0, 77.0, 40.0, 3.0, 1.5),
        vertical(lighten(board, 0.1), shade(board, 0.8), 74.0, 80.0),
    );
    let (cx, cy, rx, ry) = (50.0, 62.0, r.range(28.0, 32.0), r.range(12.0, 15.0));
    c.glow(&Shape::ellipse(cx + 2.0, 73.0, rx, 3.0), SHADOW, 0.35, 2.0);
    let loaf = Shape::ellipse(cx, cy, rx, ry);
    c.fill(&loaf, move |x, y| {
        let s = sphere(crust, cx - 4.0, cy - 2.0, rx.max(ry))(x, y);
        let flour = dots(x, y, 1.2, 0.25, 0.35, seed);
        mix(
            shade(s, 0.9 + 0.15 * noise(x, y, 2.0, seed)),
            [0.96, 0.94, 0.9],
            flour * 0.7,
        )
    });
    let cuts = 3 + r.next_u32() % 2;
    for k in 0..cuts {
        let t = (k as f32 + 0.5) / cuts as f32 - 0.5;
        let x = cx + t * rx * 1.5;
        let cut = Shape::ellipse(x, cy - 1.0, 2.2, ry * 0.62).rotate(x, cy, 35.0);
        c.fill(
            &cut,
            vertical(lighten(crust, 0.55), lighten(crust, 0.2), cy - ry, cy + ry),
        );
    }
}

fn gingerbread(c: &mut Canvas, r: &mut Rng, col: Rgb) {
    let seed = r.next_u32();
    let board = hex(WOOD);
    shadow(c, 50.0, 80.0, 40.0, 4.0);
    c.fill(
        &Shape::rect(50.0, 77.0, 40.0, 3.0, 1.5),
        vertical(lighten(board, 0.1), shade(board, 0.8), 74.0, 80.0),
    );
    // The loaf, sliced at its right end.
    let (cx, top) = (44.0, r.range(52.0, 56.0));
    let loaf = Shape::rect(cx, (top + 74.0) / 2.0, 20.0, (74.0 - top) / 2.0, 2.0)
        .union(Shape::ellipse(cx, top, 20.0, 4.5));
    c.fill(&loaf, move |x, y| {
        let shine = 0.95 + 0.12 * (1.0 - ((y - top) / 8.0).clamp(0.0, 1.0));
        shade(
            cylinder(col, cx - 20.0, cx + 20.0)(x, y),
            shine * (0.95 + 0.08 * noise(x, y, 1.5, seed)),
        )
    });
    c.fill(
        &Shape::rect(
            cx + 19.0,
            (top + 74.0) / 2.0 + 1.0,
            1.6,
            (74.0 - top) / 2.0 - 1.0,
            1.0,
        ),
        move |x, y| {
            let crumb = lighten(col, 0.28);
            shade(crumb, 0.9 + 0.2 * dots(x, y, 0.8, 0.2, 0.6, seed))
        },
    );
    // Two slices lying in front.
    for (k, sx) in [68.0, 77.0].into_iter().enumerate() {
        let deg = 8.0 + 6.0 * k as f32;
        let slice = Shape::rect(sx, 68.0, 6.0, 6.5, 1.2).rotate(sx, 68.0, deg);
        c.fill(&slice, move |x, y| {
            let crumb = lighten(col, 0.28);
            shade(crumb, 0.88 + 0.22 * dots(x, y, 0.8, 0.2, 0.6, seed))
        });
        c.fill(
            &Shape::rect(sx, 68.0, 6.0, 6.5, 1.2)
                .ring(0.45)
                .rotate(sx, 68.0, deg),
            flat(shade(col, 0.8)),
        );
    }
}

fn fruit_pile(c: &mut Canvas, r: &mut Rng, col: Rgb, pears: bool) {
    let seed = r.next_u32();
    let spots: [(f32, f32, f32); 4] = [
        (38.0, 52.0, 10.5),
        (60.0, 50.0, 11.0),
        (30.0, 67.0, 11.5),
        (56.0, 68.0, 12.0),
    ];
    shadow(c, 48.0, 79.0, 36.0, 4.5);
    for (k, (cx, cy, rr)) in spots.into_iter().enumerate() {
        let hue = mix(
            col,
            hex(r.pick(&[0xe0b03a, 0x9fbf3a, 0xc8342a])),
            r.range(0.0, 0.25),
        );
        let (shape, lit_y, stem_y) = if pears {
            let s = Shape::circle(cx, cy + rr * 0.25, rr * 0.85)
                .blend(Shape::circle(cx, cy - rr * 0.75, rr * 0.45), rr * 0.9);
            (s, cy, cy - rr * 1.15)
        } else {
            let s = Shape::circle(cx - rr * 0.28, cy, rr * 0.8)
                .blend(Shape::circle(cx + rr * 0.28, cy, rr * 0.8), rr * 0.5)
                .minus(Shape::ellipse(cx, cy - rr * 0.92, rr * 0.22, rr * 0.16));
            (s, cy, cy - rr * 0.7)
        };
        c.glow(
            &Shape::circle(cx + 2.0, cy + rr * 0.75, rr * 0.9),
            SHADOW,
            0.25,
            2.0,
        );
        let fruit_seed = seed ^ (k as u32 * 77);
        let lit = sphere(hue, cx, lit_y, rr * 1.05);
        c.fill(&shape, move |x, y| {
            let base = lit(x, y);
            // Faint streaks and freckles of the skin.
            let streak = 0.95 + 0.07 * noise(x * 3.0, y * 0.6, 2.0, fruit_seed);
            let russet = dots(x, y, 1.4, 0.16, 0.3, fruit_seed) * 0.35;
            mix(shade(base, streak), darken(hue, 0.5), russet)
        });
        c.fill(
            &Shape::capsule(cx, stem_y + 2.0, cx + 1.5, stem_y - 2.5, 0.45),
            flat(hex(0x5a4030)),
        );
        if k % 2 == 1 {
            leaf(
                c,
                (cx + 1.2, stem_y - 1.5),
                (cx + 8.0, stem_y - 5.0),
                3.4,
                hex(LEAF),
            );
        }
    }
}

fn carrots(c: &mut Canvas, r: &mut Rng, col: Rgb) {
    let seed = r.next_u32();
    shadow(c, 56.0, 79.0, 34.0, 4.0);
    let n = 4;
    for k in 0..n {
        // Side by side on the table, the farthest first.
        let kf = k as f32;
        let (ax, ay) = (30.0 + kf * 4.0, 38.0 + kf * 9.5);
        let (bx, by) = (68.0 + kf * 5.0 + r.range(-3.0, 2.0), 55.0 + kf * 6.5);
        let ra = r.range(3.6, 4.4);
        let hue = mix(col, hex(0xd8402a), r.range(0.0, 0.2));
        // Greens: a fan of thin stems with feathery leaves.
        for g in 0..4 {
            let a = (-150.0 + g as f32 * 22.0 + r.range(-6.0, 6.0)) * PI / 180.0;
            let l = r.range(14.0, 22.0);
            let (ex, ey) = (ax + a.cos() * l, ay + a.sin() * l);
            c.fill(&Shape::capsule(ax, ay, ex, ey, 0.45), flat(hex(0x5f8f3e)));
            for f in 1..5 {
                let s = f as f32 / 5.0;
                let (fx, fy) = (ax + (ex - ax) * s, ay + (ey - ay) * s);
                leaf(
                    c,
                    (fx, fy),
                    (fx + a.sin() * 3.0, fy - a.cos() * 3.0),
                    1.3,
                    hex(0x6fa04a),
                );
            }
        }
        c.glow(
            &Shape::tapered(ax + 1.5, ay + 2.5, ra, bx + 1.5, by + 2.5, 0.6),
            SHADOW,
            0.25,
            1.5,
        );
        let tb = tube(hue, (ax, ay, ra), (bx, by, 0.6));
        c.fill(&Shape::tapered(ax, ay, ra, bx, by, 0.6), move |x, y| {
            let along = ((x - ax) * (bx - ax) + (y - ay) * (by - ay))
                / ((bx - ax).powi(2) + (by - ay).powi(2));
            let ridge = 0.9 + 0.1 * (along * 60.0 + noise(x, y, 1.0, seed) * 4.0).sin().abs();
            shade(tb(x, y), ridge)
        });
    }
}

fn lettuce(c: &mut Canvas, r: &mut Rng, col: Rgb) {
    let seed = r.next_u32();
    let (cx, cy) = (50.0, 58.0);
    shadow(c, cx + 2.0, 79.0, 30.0, 4.0);
    // Outer leaves first, then inner ones, each lighter towards the heart.
    let rings = [(12, 22.0, 13.0), (9, 14.0, 11.0), (6, 7.0, 9.0)];
    for (ring_i, (count, dist, size)) in rings.into_iter().enumerate() {
        for k in 0..count {
            let a = k as f32 / count as f32 * 2.0 * PI + ring_i as f32 * 0.4 + r.range(-0.15, 0.15);
            let (lx, ly) = (cx + a.cos() * dist, cy + a.sin() * dist * 0.7);
            let s = size * r.range(0.85, 1.1);
            let tint = mix(
                shade(col, 0.78),
                lighten(col, 0.35),
                ring_i as f32 / 2.0 + r.range(-0.1, 0.1),
            );
            let leaf_seed = seed ^ (k as u32 * 31 + ring_i as u32);
            c.fill_with(
                &Shape::circle(lx, ly, s),
                move |x, y| {
                    let d = ((x - lx).powi(2) + (y - ly).powi(2)).sqrt() / s;
                    let vein = (((y - ly).atan2(x - lx) * 5.0).sin()).abs().powi(20) * 0.2;
                    let frill = 0.9 + 0.15 * noise(x, y, 0.7, leaf_seed);
                    lighten(shade(tint, (1.1 - 0.3 * d) * frill), vein)
                },
                1.0,
                0.4,
            );
        }
    }
}

fn potatoes(c: &mut Canvas, r: &mut Rng, skin: Rgb) {
    let seed = r.next_u32();
    shadow(c, 50.0, 79.0, 36.0, 4.5);
    let spots = [
        (34.0, 58.0, 10.0, 7.5, 20.0),
        (60.0, 56.0, 11.0, 8.0, -15.0),
        (26.0, 70.0, 9.0, 6.5, -8.0),
        (48.0, 70.0, 11.5, 8.0, 10.0),
        (72.0, 70.0, 10.0, 7.0, -25.0),
    ];
    for (k, (cx, cy, rx, ry, deg)) in spots.into_iter().enumerate() {
        let rx = rx * r.range(0.9, 1.1);
        let tone = mix(skin, hex(0xa87a4a), r.range(0.0, 0.4));
        let ps = seed ^ (k as u32 * 13);
        c.glow(
            &Shape::ellipse(cx + 1.5, cy + ry * 0.8, rx, ry * 0.4),
            SHADOW,
            0.3,
            1.5,
        );
        c.fill(
            &Shape::ellipse(cx, cy, rx, ry)
                .grow(-0.5)
                .rotate(cx, cy, deg),
            {
                let lit = sphere(tone, cx, cy, rx.max(ry));
                move |x, y| {
                    let base = lit(x, y);
                    let lumpy = 0.88 + 0.2 * noise(x, y, 2.5, ps);
                    let eyes = dots(x, y, 3.0, 0.35, 0.5, ps);
                    let soil = dots(x, y, 0.9, 0.18, 0.5, ps ^ 5) * 0.4;
                    mix(
                        mix(shade(base, lumpy), darken(tone, 0.5), eyes * 0.7),
                        hex(0x7a5a3a),
                        soil,
                    )
                }
            },
        );
    }
}

fn eggs(c: &mut Canvas, r: &mut Rng, col: Rgb) {
    let seed = r.next_u32();
    let basket = hex(r.pick(&[0xb8875a, 0xcfae7a, 0x8a6a4a]));
    let (cx, rim, rx, depth) = (50.0, 58.0, 31.0, 20.0);
    shadow(c, cx + 2.0, 79.0, rx, 4.5);
    let ry = depth * 0.32;
    c.fill(&Shape::ellipse(cx, rim, rx, ry), flat(shade(basket, 0.55)));
    let spots = [
        (38.0, 54.0, 7.0),
        (51.0, 51.0, 7.3),
        (63.0, 54.0, 7.0),
        (44.0, 58.0, 7.2),
        (58.0, 58.5, 7.1),
    ];
    for (k, (ex, ey, er)) in spots.into_iter().enumerate() {
        let shell = mix(
            col,
            hex(r.pick(&[0xefe6d6, 0xc9926a, 0xd8b08a, 0xf6f2ea])),
            r.range(0.2, 0.7),
        );
        let egg = Shape::circle(ex, ey, er).blend(Shape::circle(ex, ey - er * 0.9, er * 0.55), er);
        let es = seed ^ (k as u32 * 19);
        c.fill(&egg, move |x, y| {
            let s = sphere(shell, ex, ey - er * 0.2, er * 1.2)(x, y);
            mix(s, darken(shell, 0.4), dots(x, y, 1.2, 0.15, 0.3, es) * 0.5)
        });
    }
    let body = Shape::ellipse(cx, rim, rx, depth).below(rim);
    let cyl = cylinder(basket, cx - rx, cx + rx);
    c.fill(&body, move |x, y| {
        // Wicker: interlaced bands.
        let row = ((y - rim) / 2.4).floor() as i32;
        let off = if row % 2 == 0 { 0.0 } else { 1.6 };
        let v = (((x + off) / 3.2).fract() - 0.5).abs() * 2.0;
        let k = 0.78 + 0.24 * (1.0 - v) * (1.0 - (((y - rim) / 2.4).fract() - 0.5).abs());
        shade(cyl(x, y), k * (1.0 - 0.15 * (y - rim) / depth))
    });
    c.fill(
        &Shape::ellipse(cx, rim, rx, ry).ring(1.0).below(rim),
        flat(lighten(basket, 0.12)),
    );
}

fn veg_box(c: &mut Canvas, r: &mut Rng, wood: Rgb) {
    let seed = r.next_u32();
    let (cx, top, bottom) = (50.0, 54.0, 79.0);
    shadow(c, cx + 2.0, 80.0, 40.0, 4.0);
    c.fill(
        &Shape::rect(cx, top - 2.0, 36.0, 4.0, 0.5),
        flat(shade(wood, 0.7)),
    );
    // Produce: leeks or greens behind, a lettuce, tomatoes, carrots' tops.
    for k in 0..5 {
        let x = 22.0 + k as f32 * 5.0;
        c.fill(
            &Shape::capsule(
                x,
                top,
                x - 6.0 + k as f32 * 2.0,
                22.0 + r.range(0.0, 6.0),
                1.3,
            ),
            flat(hex(0x5f8f3e)),
        );
    }
    let (lx, ly) = (36.0, 49.0);
    for k in 0..8 {
        let a = k as f32 / 8.0 * 2.0 * PI;
        let (px, py) = (lx + a.cos() * 6.0, ly + a.sin() * 4.0);
        c.fill(
            &Shape::circle(px, py, 6.5),
            sphere(hex(0x8fbf4a), px, py, 7.0),
        );
    }
    c.fill(
        &Shape::circle(lx, ly, 5.0),
        sphere(hex(0xc8e08a), lx, ly, 5.0),
    );
    for (tx, ty) in [(58.0, 50.0), (66.0, 48.0), (73.0, 51.0), (62.0, 55.0)] {
        c.fill(
            &Shape::circle(tx, ty, 4.6),
            sphere(hex(0xd8402a), tx, ty, 4.6),
        );
        c.fill(&Shape::circle(tx + 0.3, ty - 4.2, 1.1), flat(hex(0x4f7a3a)));
    }
    for k in 0..3 {
        let x = 78.0 + k as f32 * 3.0;
        c.fill(
            &Shape::tapered(x, 54.0, 2.2, x + 5.0, 40.0, 1.0),
            tube(hex(0xe8782a), (x, 54.0, 2.2), (x + 5.0, 40.0, 1.0)),
        );
        c.fill(
            &Shape::capsule(x + 5.0, 40.0, x + 2.0 + k as f32 * 2.0, 26.0, 0.6),
            flat(hex(0x5f8f3e)),
        );
    }
    // The crate's front: planks, a handle hole, nails.
    c.fill(
        &Shape::rect(cx, (top + bottom) / 2.0, 38.0, (bottom - top) / 2.0, 0.8),
        move |x, y| {
            let plank = ((y - top) / 8.5).floor();
            let edge = ((y - top) / 8.5).fract();
            let grain = 0.93 + 0.07 * ((x * 0.25 + noise(x, y, 3.0, seed) * 6.0).sin());
            let k = if edge < 0.06 { 0.7 } else { 1.0 } * (0.96 + 0.04 * plank);
            shade(wood, grain * k)
        },
    );
    c.fill(
        &Shape::rect(cx, top + 4.2, 7.0, 1.6, 1.6),
        flat(darken(wood, 0.6)),
    );
    for nx in [14.5, 85.5] {
        for k in 0..3 {
            let ny = top + 4.0 + k as f32 * 8.5;
            c.fill(&Shape::circle(nx, ny, 0.5), flat(hex(0x5a5a5a)));
        }
    }
}

fn sausage(c: &mut Canvas, r: &mut Rng, meat: Rgb) {
    let seed = r.next_u32();
    let board = hex(WOOD);
    shadow(c, 50.0, 80.0, 42.0, 4.0);
    c.fill(
        &Shape::rect(50.0, 76.0, 42.0, 4.0, 2.0),
        vertical(lighten(board, 0.1), shade(board, 0.8), 72.0, 80.0),
    );
    let bow = r.range(6.0, 10.0);
    let pts: Vec<(f32, f32)> = (0..=16)
        .map(|i| {
            let t = i as f32 / 16.0;
            (20.0 + 50.0 * t, 58.0 - bow * (PI * t).sin())
        })
        .collect();
    c.glow(
        &Shape::path(
            &pts.iter()
                .map(|(x, y)| (x + 1.5, y + 3.0))
                .collect::<Vec<_>>(),
            5.5,
        ),
        SHADOW,
        0.3,
        2.0,
    );
    let bloom = [0.93, 0.91, 0.86];
    c.fill(&Shape::path(&pts, 5.5), move |x, y| {
        let t = ((x - 20.0) / 50.0).clamp(0.0, 1.0);
        let mid = 58.0 - bow * (PI * t).sin();
        let n = ((y - mid) / 5.5).clamp(-1.0, 1.0);
        let k = 0.7 + 0.4 * (1.0 - n * n).sqrt() - 0.15 * n;
        let white = (noise(x, y, 2.2, seed) * 0.6 + noise(x, y, 0.9, seed ^ 3) * 0.4).powi(2) * 0.9;
        mix(shade(meat, k), shade(bloom, k), white)
    });
    // The string at its end.
    c.fill(
        &Shape::ellipse(16.0, 54.0, 3.0, 2.0).ring(0.3),
        flat(hex(0xe8e0d0)),
    );
    // Slices in front.
    for (k, (sx, sy)) in [(60.0, 70.0), (70.0, 68.0), (79.0, 70.5)]
        .into_iter()
        .enumerate()
    {
        let ss = seed ^ (k as u32 * 7);
        c.fill(&Shape::ellipse(sx, sy, 5.0, 3.6), flat(shade(meat, 0.6)));
        c.fill(&Shape::ellipse(sx, sy - 0.6, 4.5, 3.1), move |x, y| {
            let fat = dots(x, y, 1.1, 0.3, 0.55, ss);
            mix(lighten(meat, 0.25), [0.96, 0.92, 0.88], fat)
        });
    }
}

fn bottle(c: &mut Canvas, r: &mut Rng, juice: Rgb) {
    let (cx, shoulder) = (42.0, r.range(44.0, 50.0));
    shadow(c, cx + 3.0, 79.0, 14.0, 3.5);
    let body = Shape::rect(
        cx,
        (shoulder + 78.0) / 2.0,
        11.0,
        (78.0 - shoulder) / 2.0,
        2.5,
    )
    .blend(Shape::rect(cx, shoulder - 10.0, 3.6, 10.0, 1.0), 7.0);
    c.fill(&body, move |x, y| {
        let t = ((x - cx) / 11.0).abs();
        shade(
            mix(
                lighten(juice, 0.2),
                shade(juice, 0.8),
                (y - shoulder) / 30.0,
            ),
            1.15 - 0.4 * t * t,
        )
    });
    // Air at the top of the neck, the cap, the glass highlight.
    c.fill_with(
        &Shape::rect(cx, shoulder - 15.0, 3.6, 5.0, 1.0),
        flat([0.94, 0.96, 0.97]),
        0.7,
        0.0,
    );
    let cap = hex(r.pick(&[0xb0263a, 0xd4af37, 0x2f5d8c]));
    c.fill(
        &Shape::rect(cx, shoulder - 21.0, 4.2, 2.2, 0.8),
        cylinder(cap, cx - 4.2, cx + 4.2),
    );
    c.fill_with(
        &Shape::capsule(cx - 7.0, shoulder + 3.0, cx - 7.0, 74.0, 1.0),
        flat(WHITE),
        0.45,
        0.5,
    );
    let ly = (shoulder + 78.0) / 2.0 + 2.0;
    c.fill(&Shape::rect(cx, ly, 10.8, 7.5, 0.0), flat(hex(0xf2ead8)));
    c.fill(
        &Shape::circle(cx, ly, 3.4),
        sphere(hex(0xc8342a), cx, ly, 3.4),
    );
    leaf(
        c,
        (cx + 0.5, ly - 3.0),
        (cx + 4.5, ly - 5.5),
        1.8,
        hex(LEAF),
    );
    // An apple beside the bottle.
    let (ax, ay, ar) = (66.0, 70.0, 9.0);
    shadow(c, ax + 2.0, 79.0, ar + 1.0, 2.0);
    let apple = Shape::circle(ax - 2.5, ay, 7.2).blend(Shape::circle(ax + 2.5, ay, 7.2), 4.0);
    c.fill(&apple, sphere(hex(0xd04a2a), ax, ay, ar));
    c.fill(
        &Shape::capsule(ax, ay - 6.0, ax + 1.2, ay - 10.0, 0.4),
        flat(hex(0x5a4030)),
    );
}
