//! The farm: honey, jam, cheese, bread, fruit, vegetables, eggs, meat, drinks.

use super::*;

pub(super) fn honey_jar(c: &mut Canvas, r: &mut Rng, honey: Rgb) {
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

pub(super) fn jam_jar(c: &mut Canvas, r: &mut Rng, jam: Rgb) {
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

pub(super) fn cheese(c: &mut Canvas, r: &mut Rng, paste: Rgb) {
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

pub(super) fn goat_cheese(c: &mut Canvas, r: &mut Rng, white: Rgb) {
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

pub(super) fn bread(c: &mut Canvas, r: &mut Rng, crust: Rgb) {
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

pub(super) fn gingerbread(c: &mut Canvas, r: &mut Rng, col: Rgb) {
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

pub(super) fn fruit_pile(c: &mut Canvas, r: &mut Rng, col: Rgb, pears: bool) {
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

pub(super) fn carrots(c: &mut Canvas, r: &mut Rng, col: Rgb) {
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

pub(super) fn lettuce(c: &mut Canvas, r: &mut Rng, col: Rgb) {
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

pub(super) fn potatoes(c: &mut Canvas, r: &mut Rng, skin: Rgb) {
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

pub(super) fn eggs(c: &mut Canvas, r: &mut Rng, col: Rgb) {
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

pub(super) fn veg_box(c: &mut Canvas, r: &mut Rng, wood: Rgb) {
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

pub(super) fn sausage(c: &mut Canvas, r: &mut Rng, meat: Rgb) {
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

pub(super) fn bottle(c: &mut Canvas, r: &mut Rng, juice: Rgb) {
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
