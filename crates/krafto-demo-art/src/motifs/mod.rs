//! One drawing per kind of product, in a 100 × 100 unit square: the object stands on the
//! table around y = 78 and fills the middle of the frame. Each takes its main colour (a
//! glaze, a metal, a fruit) and a generator that varies proportions and details.

use crate::canvas::{
    Canvas, Rgb, Shape, WHITE, cylinder, darken, dots, flat, hash2, hex, lighten, mix, noise,
    shade, sphere, tube, turn, vertical,
};
use crate::rng::Rng;
use std::f32::consts::PI;

mod food;
mod home;
mod pottery;

use food::*;
use home::*;
use pottery::*;

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
