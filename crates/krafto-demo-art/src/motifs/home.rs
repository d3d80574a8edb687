//! Textiles, candles, soap, bags, knitwear and pictures.

use super::*;

/// Woven cloth: a fine weave texture over a colour.
pub(super) fn weave(col: Rgb, x: f32, y: f32, seed: u32) -> Rgb {
    let w = 0.94 + 0.04 * (x * 9.0).sin() * (y * 9.0).cos() + 0.04 * noise(x, y, 0.6, seed);
    shade(col, w)
}

pub(super) fn scarf(c: &mut Canvas, r: &mut Rng, col: Rgb) {
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

pub(super) fn tea_towels(c: &mut Canvas, r: &mut Rng, stripe: Rgb) {
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

pub(super) fn flame(c: &mut Canvas, x: f32, y: f32, size: f32) {
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

pub(super) fn candle(c: &mut Canvas, r: &mut Rng, wax: Rgb) {
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
pub(super) fn jar(
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

pub(super) fn jar_candle(c: &mut Canvas, r: &mut Rng, wax: Rgb) {
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

pub(super) fn soap(c: &mut Canvas, r: &mut Rng, col: Rgb) {
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

pub(super) fn bag(c: &mut Canvas, r: &mut Rng, col: Rgb) {
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

pub(super) fn crochet_bag(c: &mut Canvas, r: &mut Rng, yarn: Rgb) {
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

pub(super) fn knit(col: Rgb, x: f32, y: f32) -> Rgb {
    // Rows of little V stitches.
    let row = (y / 1.6).floor();
    let v = ((x / 1.4 + row * 0.5).fract() - 0.5).abs() * 2.0;
    let t = ((y / 1.6).fract() - v * 0.5).abs();
    shade(col, 0.84 + 0.22 * (1.0 - t).powi(2))
}

pub(super) fn beanie(c: &mut Canvas, r: &mut Rng, col: Rgb) {
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

pub(super) fn mittens(c: &mut Canvas, r: &mut Rng, col: Rgb) {
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
pub(super) fn landscape(
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

pub(super) fn framed(c: &mut Canvas, r: &mut Rng, col: Rgb, watercolour: bool) {
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

pub(super) fn postcards(c: &mut Canvas, r: &mut Rng, col: Rgb) {
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
