//! Pottery and jewellery: bowls, mugs, platters, vases, rings, earrings, necklaces.

use super::*;

pub(super) fn bowl(c: &mut Canvas, r: &mut Rng, glaze: Rgb) {
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

pub(super) fn mug(c: &mut Canvas, r: &mut Rng, glaze: Rgb) {
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

pub(super) fn platter(c: &mut Canvas, r: &mut Rng, glaze: Rgb) {
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

pub(super) fn vase(c: &mut Canvas, r: &mut Rng, glaze: Rgb) {
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

pub(super) fn ring(c: &mut Canvas, r: &mut Rng, m: Rgb) {
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

pub(super) fn earrings(c: &mut Canvas, r: &mut Rng, m: Rgb, hoops: bool) {
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

pub(super) fn necklace(c: &mut Canvas, r: &mut Rng, m: Rgb) {
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
