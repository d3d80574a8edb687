//! The handmade marketplace `lyon`: potters, jewellers, weavers, knitters and printmakers of
//! Lyon and around.

use super::data::{Delivery, DemoListing, DemoShop, LISTING, Tr, tr, variant};
use krafto_demo_art::Motif;

const COLISSIMO: Delivery = Delivery {
    name: tr("Colissimo", "Colissimo"),
    base: 490,
    per_item: 100,
    days: (2, 4),
    pickup: None,
};

const RETURNS_14: Tr = tr(
    "Retours acceptés sous 14\u{a0}jours après la livraison, dans l’emballage d’origine.",
    "Returns within 14 days of delivery, in the original packaging.",
);

pub(super) const SHOPS: &[DemoShop] = &[
    DemoShop {
        slug: "atelier-terre",
        name: "Atelier Terre",
        email: "camille@atelier-terre.example",
        city: "Lyon",
        region: "Auvergne-Rhône-Alpes",
        latitude: 45.7597,
        longitude: 4.8265,
        story: tr(
            "Camille tourne et émaille le grès dans un petit atelier au bord de la Saône, à Saint-Georges. Chaque pièce passe deux fois au four, à haute température, pour servir tous les jours pendant des années.",
            "Camille throws and glazes stoneware in a small workshop by the Saône, in Saint-Georges. Every piece is fired twice, at high temperature, to serve every day for years.",
        ),
        return_policy: RETURNS_14,
        processing_days: (1, 3),
        colour: 0x8a4b2a,
        logo: Motif::Bowl,
        banner: [Motif::Mug, Motif::Bowl, Motif::Vase],
        delivery: &[COLISSIMO],
        listings: &[
            DemoListing {
                title: tr("Bol en grès moucheté", "Speckled stoneware bowl"),
                description: tr(
                    "Un bol tourné à la main dans un grès moucheté de Bourgogne, émaillé d’un blanc crème qui laisse voir les points de fer de la terre. Pour les soupes, les salades ou le café du dimanche. Passe au lave-vaisselle et au micro-ondes. Chaque pièce est unique, les mouchetures varient d’un bol à l’autre.",
                    "A bowl thrown by hand in speckled Burgundy clay, glazed in a cream white that lets the iron spots show through. For soups, salads or a slow Sunday coffee. Dishwasher and microwave safe. Each piece is unique: the speckles vary from bowl to bowl.",
                ),
                price: 3200,
                stock: 12,
                category: "ceramics",
                tags: tr(
                    "bol, grès, fait main, vaisselle",
                    "bowl, stoneware, handmade, tableware",
                ),
                materials: tr("grès, émail", "stoneware, glaze"),
                weight_g: Some(420),
                dimensions: Some((150, 150, 75)),
                motif: Motif::Bowl,
                colour: Some(0xe6dcc6),
                photos: 2,
                alt: tr(
                    "Un bol en grès crème moucheté de points bruns, posé sur une table",
                    "A cream stoneware bowl speckled with brown dots, on a table",
                ),
                ..LISTING
            },
            DemoListing {
                title: tr("Mug émaillé bleu", "Blue glazed mug"),
                description: tr(
                    "Un mug de 30\u{a0}cl à l’anse généreuse, trempé dans un émail bleu profond qui s’arrête juste avant le pied, pour garder le toucher brut de la terre. Tient la chaleur du thé comme celle du café.",
                    "A 30 cl mug with a generous handle, dipped in a deep blue glaze that stops just above the foot, keeping the raw feel of the clay. Keeps tea and coffee hot alike.",
                ),
                price: 2400,
                stock: 20,
                category: "ceramics",
                tags: tr("tasse, bleu, café, thé", "cup, blue, coffee, tea"),
                materials: tr("grès, émail", "stoneware, glaze"),
                weight_g: Some(340),
                dimensions: Some((120, 85, 95)),
                motif: Motif::Mug,
                colour: Some(0x2f5d8c),
                alt: tr(
                    "Un mug bleu profond au pied brut, avec une anse ronde",
                    "A deep blue mug with a bare clay foot and a round handle",
                ),
                ..LISTING
            },
            DemoListing {
                title: tr("Grand plat de service", "Serving platter"),
                description: tr(
                    "Un plat ovale de 38\u{a0}cm, émail céladon, pour les tablées du week-end, les fromages ou un gâteau. Le rebord légèrement relevé retient les sauces.",
                    "An oval platter, 38 cm long, in a celadon glaze, for weekend tables, cheeses or a cake. Its slightly raised rim keeps sauces in.",
                ),
                price: 5800,
                stock: 4,
                category: "ceramics",
                tags: tr(
                    "plat, céladon, service, table",
                    "platter, celadon, serving, table",
                ),
                materials: tr("grès, émail", "stoneware, glaze"),
                weight_g: Some(1300),
                dimensions: Some((380, 260, 35)),
                processing_days: Some(3),
                motif: Motif::Platter,
                colour: Some(0x8db5a0),
                photos: 2,
                alt: tr(
                    "Un grand plat ovale vert céladon, un brin d’olivier posé dessus",
                    "A large celadon-green oval platter with an olive sprig on it",
                ),
                ..LISTING
            },
            DemoListing {
                title: tr("Soliflore, émail de cendre", "Bud vase, ash glaze"),
                description: tr(
                    "Un petit vase pour une seule tige ou quelques fleurs séchées. L’émail de cendre de bois, bleu-vert, coule un peu pendant la cuisson et rend chaque vase différent.",
                    "A small vase for a single stem or a few dried flowers. The blue-green wood-ash glaze runs a little in the kiln, so no two vases are the same.",
                ),
                price: 3600,
                stock: 8,
                category: "ceramics",
                tags: tr(
                    "vase, fleurs séchées, décoration",
                    "vase, dried flowers, decoration",
                ),
                materials: tr("grès, émail de cendre", "stoneware, ash glaze"),
                weight_g: Some(380),
                dimensions: Some((90, 90, 170)),
                motif: Motif::Vase,
                colour: Some(0x4f8a94),
                alt: tr(
                    "Un soliflore bleu-vert avec quelques tiges de fleurs séchées",
                    "A blue-green bud vase holding a few dried flower stems",
                ),
                ..LISTING
            },
            DemoListing {
                title: tr("Assiettes plates (lot de 2)", "Dinner plates (set of 2)"),
                description: tr(
                    "Deux assiettes de 27\u{a0}cm, au bord tourné à la main. À choisir en ocre ou en céladon, pour compléter les bols et le plat de service.",
                    "Two 27 cm plates with a hand-turned rim. Choose ochre or celadon, to go with the bowls and the serving platter.",
                ),
                price: 4600,
                category: "ceramics",
                tags: tr(
                    "assiette, vaisselle, ocre, céladon",
                    "plate, tableware, ochre, celadon",
                ),
                materials: tr("grès, émail", "stoneware, glaze"),
                weight_g: Some(1500),
                dimensions: Some((270, 270, 30)),
                variants: &[
                    variant(tr("couleur", "colour"), tr("Ocre", "Ochre"), None, 3),
                    variant(tr("couleur", "colour"), tr("Céladon", "Celadon"), None, 3),
                ],
                motif: Motif::Platter,
                colour: Some(0xc98b3b),
                alt: tr(
                    "Une assiette ocre au bord clair, vue de trois quarts",
                    "An ochre plate with a pale rim, seen from an angle",
                ),
                ..LISTING
            },
        ],
    },
    DemoShop {
        slug: "fil-d-or",
        name: "Fil d’Or",
        email: "ines@fildor.example",
        city: "Villeurbanne",
        region: "Auvergne-Rhône-Alpes",
        latitude: 45.7719,
        longitude: 4.8902,
        story: tr(
            "Inès façonne des bijoux en argent et en or recyclés, martelés et polis à la main dans son atelier de Villeurbanne. Des pièces simples, faites pour être portées tous les jours et durer.",
            "Inès makes jewellery from recycled silver and gold, hammered and polished by hand in her Villeurbanne workshop. Simple pieces, made to be worn every day and to last.",
        ),
        return_policy: tr(
            "Retours acceptés sous 14\u{a0}jours, sauf pour les bagues ajustées à votre taille.",
            "Returns within 14 days, except for rings sized to order.",
        ),
        processing_days: (2, 5),
        colour: 0x7a5c2e,
        logo: Motif::Ring,
        banner: [Motif::Necklace, Motif::Ring, Motif::Hoops],
        delivery: &[
            COLISSIMO,
            Delivery {
                name: tr("Lettre recommandée", "Registered letter"),
                base: 790,
                per_item: 0,
                days: (2, 3),
                pickup: None,
            },
        ],
        listings: &[
            DemoListing {
                title: tr("Bague martelée en argent", "Hammered silver ring"),
                description: tr(
                    "Un anneau large en argent 925 recyclé, martelé à la main pour accrocher la lumière. Taille 54, d’autres tailles sur demande avant la commande.",
                    "A wide band of recycled sterling silver, hammered by hand to catch the light. Size 54 (US 7); other sizes on request before ordering.",
                ),
                price: 6500,
                stock: 6,
                category: "rings",
                tags: tr(
                    "bague, argent, martelé, recyclé",
                    "ring, silver, hammered, recycled",
                ),
                materials: tr("argent recyclé", "recycled silver"),
                weight_g: Some(6),
                motif: Motif::Ring,
                colour: Some(0xc0c4c8),
                photos: 2,
                alt: tr(
                    "Une bague en argent martelé dans un écrin de velours",
                    "A hammered silver ring standing in a velvet box",
                ),
                ..LISTING
            },
            DemoListing {
                title: tr("Boucles d’oreilles feuille d’or", "Gold leaf earrings"),
                description: tr(
                    "Deux feuilles de laiton doré à l’or fin, nervurées à la main, sur des crochets en or 14\u{a0}carats. Légères, elles bougent à chaque pas.",
                    "Two brass leaves plated with fine gold, veined by hand, on 14-carat gold hooks. Light, they move with every step.",
                ),
                price: 8900,
                stock: 3,
                category: "earrings",
                tags: tr("boucles d’oreilles, or, feuille", "earrings, gold, leaf"),
                materials: tr("laiton, or fin", "brass, fine gold"),
                weight_g: Some(4),
                motif: Motif::Earrings,
                colour: Some(0xd4af37),
                photos: 2,
                alt: tr(
                    "Deux boucles d’oreilles en forme de feuille dorée sur un carton kraft",
                    "Two golden leaf-shaped earrings on a kraft display card",
                ),
                ..LISTING
            },
            DemoListing {
                title: tr("Créoles martelées", "Hammered hoop earrings"),
                description: tr(
                    "Des créoles de 25\u{a0}mm en argent 925 recyclé, martelées une à une. Un classique qui va avec tout.",
                    "25 mm hoops in recycled sterling silver, hammered one by one. A classic that goes with everything.",
                ),
                price: 5400,
                stock: 7,
                category: "earrings",
                tags: tr("créoles, anneaux, argent", "hoops, earrings, classic"),
                materials: tr("argent recyclé", "recycled silver"),
                weight_g: Some(5),
                motif: Motif::Hoops,
                colour: Some(0xc0c4c8),
                alt: tr(
                    "Deux créoles argentées suspendues à un carton",
                    "Two silver hoop earrings hanging from a display card",
                ),
                ..LISTING
            },
            DemoListing {
                title: tr("Collier médaille", "Medallion necklace"),
                description: tr(
                    "Une médaille martelée sur une fine chaîne de 45\u{a0}cm, en laiton doré à l’or fin. Se porte seule ou avec d’autres chaînes.",
                    "A hammered medallion on a fine 45 cm chain, in brass plated with fine gold. Wear it alone or layered.",
                ),
                price: 7800,
                stock: 5,
                category: "necklaces",
                tags: tr("collier, médaille, doré", "necklace, medallion, gold"),
                materials: tr("laiton, or fin", "brass, fine gold"),
                weight_g: Some(8),
                motif: Motif::Necklace,
                colour: Some(0xd4af37),
                alt: tr(
                    "Un collier doré à médaille posé sur un tissu clair",
                    "A golden medallion necklace lying on a pale cloth",
                ),
                ..LISTING
            },
            DemoListing {
                title: tr("Bague fine en or recyclé", "Fine recycled gold ring"),
                description: tr(
                    "Un jonc fin en or 18\u{a0}carats recyclé, à porter seul ou à accumuler. Choisissez votre taille, chaque bague est faite à la commande.",
                    "A slim band in recycled 18-carat gold, to wear alone or stacked. Choose your size: each ring is made to order.",
                ),
                price: 12000,
                category: "rings",
                tags: tr("bague, or, fine, mariage", "ring, gold, slim, wedding"),
                materials: tr("or recyclé", "recycled gold"),
                weight_g: Some(3),
                processing_days: Some(7),
                variants: &[
                    variant(tr("taille", "size"), tr("50", "50"), None, 2),
                    variant(tr("taille", "size"), tr("52", "52"), None, 2),
                    variant(tr("taille", "size"), tr("54", "54"), None, 2),
                    variant(tr("taille", "size"), tr("56", "56"), None, 2),
                ],
                motif: Motif::Ring,
                colour: Some(0xd4af37),
                photos: 2,
                alt: tr(
                    "Une fine bague en or dans un écrin ouvert",
                    "A slim gold ring in an open box",
                ),
                ..LISTING
            },
        ],
    },
    DemoShop {
        slug: "maison-lin",
        name: "Maison Lin",
        email: "paul@maisonlin.example",
        city: "Lyon",
        region: "Auvergne-Rhône-Alpes",
        latitude: 45.7743,
        longitude: 4.8312,
        story: tr(
            "Du lin tissé dans la vallée du Rhône, coupé et cousu à la Croix-Rousse en objets de tous les jours, et des bougies coulées à la main dans la boutique.",
            "Linen woven in the Rhône valley, cut and sewn in the Croix-Rousse into things for every day, and candles poured by hand in the shop.",
        ),
        return_policy: RETURNS_14,
        processing_days: (1, 2),
        colour: 0x5c6b4a,
        logo: Motif::TeaTowel,
        banner: [Motif::TeaTowel, Motif::Candle, Motif::Bag],
        delivery: &[
            COLISSIMO,
            Delivery {
                name: tr("Retrait à la boutique", "Pick up at the shop"),
                base: 0,
                per_item: 0,
                days: (1, 2),
                pickup: Some((
                    "8 rue d’Austerlitz, 69004 Lyon",
                    tr(
                        "Du mercredi au samedi, 11\u{a0}h – 19\u{a0}h",
                        "Wednesday to Saturday, 11 am – 7 pm",
                    ),
                )),
            },
        ],
        listings: &[
            DemoListing {
                title: tr("Torchons en lin (lot de 2)", "Linen tea towels (set of 2)"),
                description: tr(
                    "Deux torchons en lin lavé, 50 × 70\u{a0}cm, rayés de rouge comme ceux d’autrefois. Ils sèchent vite, ne peluchent pas et s’adoucissent à chaque lavage.",
                    "Two washed-linen tea towels, 50 × 70 cm, with red stripes like the old ones. They dry fast, leave no lint and soften with every wash.",
                ),
                price: 2800,
                stock: 30,
                category: "textiles",
                tags: tr("torchon, lin, cuisine", "tea towel, linen, kitchen"),
                materials: tr("lin", "linen"),
                weight_g: Some(260),
                motif: Motif::TeaTowel,
                colour: Some(0xb03a2e),
                photos: 2,
                alt: tr(
                    "Deux torchons en lin pliés, rayés de rouge aux extrémités",
                    "Two folded linen tea towels with red stripes at the ends",
                ),
                ..LISTING
            },
            DemoListing {
                title: tr("Bougie en cire d’abeille", "Beeswax candle"),
                description: tr(
                    "Une bougie pilier roulée dans des feuilles de cire d’abeille d’un rucher du Beaujolais. Environ 25\u{a0}heures de combustion, un léger parfum de miel.",
                    "A pillar candle rolled from sheets of beeswax from a Beaujolais apiary. About 25 hours of burning, with a faint scent of honey.",
                ),
                price: 1800,
                stock: 25,
                category: "candles",
                tags: tr(
                    "bougie, cire d’abeille, naturel",
                    "candle, beeswax, natural",
                ),
                materials: tr("cire d’abeille, mèche en coton", "beeswax, cotton wick"),
                weight_g: Some(220),
                motif: Motif::Candle,
                colour: Some(0xe2b350),
                alt: tr(
                    "Deux bougies dorées en cire d’abeille allumées",
                    "Two lit golden beeswax candles",
                ),
                ..LISTING
            },
            DemoListing {
                title: tr("Étole en lin lavé", "Washed linen scarf"),
                description: tr(
                    "Une grande étole de 180 × 60\u{a0}cm, légère et frangée, qui se porte de mars à octobre. Teinte en petites séries.",
                    "A large 180 × 60 cm scarf, light and fringed, to wear from March to October. Dyed in small batches.",
                ),
                price: 4500,
                category: "accessories",
                tags: tr("étole, écharpe, lin, été", "scarf, wrap, linen, summer"),
                materials: tr("lin", "linen"),
                weight_g: Some(180),
                variants: &[
                    variant(tr("couleur", "colour"), tr("Naturel", "Natural"), None, 5),
                    variant(tr("couleur", "colour"), tr("Indigo", "Indigo"), None, 5),
                    variant(
                        tr("couleur", "colour"),
                        tr("Terracotta", "Terracotta"),
                        None,
                        5,
                    ),
                ],
                motif: Motif::Scarf,
                colour: Some(0x3a5a8c),
                photos: 2,
                alt: tr(
                    "Une étole indigo frangée, drapée sur la table",
                    "A fringed indigo scarf draped across the table",
                ),
                ..LISTING
            },
            DemoListing {
                title: tr("Cabas en lin", "Linen tote bag"),
                description: tr(
                    "Un cabas solide en lin épais, anses longues pour l’épaule, doublé de coton. Assez grand pour le marché du samedi.",
                    "A sturdy tote in heavy linen with long shoulder handles and a cotton lining. Big enough for the Saturday market.",
                ),
                price: 3900,
                stock: 12,
                category: "accessories",
                tags: tr("sac, cabas, lin, marché", "bag, tote, linen, market"),
                materials: tr("lin, coton", "linen, cotton"),
                weight_g: Some(320),
                motif: Motif::Bag,
                colour: Some(0x5c6b4a),
                alt: tr(
                    "Un cabas en lin écru à bande verte, imprimé d’une feuille",
                    "An undyed linen tote with a green band and a printed leaf",
                ),
                ..LISTING
            },
            DemoListing {
                title: tr("Bougie parfumée en pot", "Scented candle in a jar"),
                description: tr(
                    "Cire de colza coulée dans un pot en verre réutilisable, 180\u{a0}g, environ 40\u{a0}heures. Trois parfums composés à Grasse.",
                    "Rapeseed wax poured into a reusable glass jar, 180 g, about 40 hours. Three scents blended in Grasse.",
                ),
                price: 2600,
                category: "candles",
                tags: tr("bougie, parfum, pot en verre", "candle, scented, glass jar"),
                materials: tr("cire de colza, verre", "rapeseed wax, glass"),
                weight_g: Some(300),
                variants: &[
                    variant(tr("parfum", "scent"), tr("Figuier", "Fig tree"), None, 6),
                    variant(tr("parfum", "scent"), tr("Lavande", "Lavender"), None, 6),
                    variant(
                        tr("parfum", "scent"),
                        tr("Bois de cèdre", "Cedarwood"),
                        None,
                        6,
                    ),
                ],
                motif: Motif::JarCandle,
                colour: Some(0xf1e9d8),
                alt: tr(
                    "Une bougie allumée dans un pot en verre à étiquette kraft",
                    "A lit candle in a glass jar with a kraft label",
                ),
                ..LISTING
            },
        ],
    },
    DemoShop {
        slug: "laine-et-lune",
        name: "Laine & Lune",
        email: "lea@laine-et-lune.example",
        city: "Lyon",
        region: "Auvergne-Rhône-Alpes",
        latitude: 45.7705,
        longitude: 4.8326,
        story: tr(
            "Léa tricote et crochète sur les pentes de la Croix-Rousse, avec des laines filées en France, mérinos, alpaga et laine de pays.",
            "Léa knits and crochets on the slopes of the Croix-Rousse, with yarns spun in France: merino, alpaca and local wool.",
        ),
        return_policy: RETURNS_14,
        processing_days: (1, 4),
        colour: 0x3a5a8c,
        logo: Motif::Beanie,
        banner: [Motif::Beanie, Motif::Scarf, Motif::Mittens],
        delivery: &[
            Delivery {
                name: tr("Lettre suivie", "Tracked letter"),
                base: 350,
                per_item: 50,
                days: (2, 4),
                pickup: None,
            },
            Delivery {
                name: tr("Colissimo", "Colissimo"),
                base: 590,
                per_item: 0,
                days: (2, 3),
                pickup: None,
            },
        ],
        listings: &[
            DemoListing {
                title: tr("Bonnet en mérinos", "Merino beanie"),
                description: tr(
                    "Un bonnet côtelé en mérinos extra-fin, doux et sans démangeaison, surmonté d’un gros pompon. Taille unique adulte.",
                    "A ribbed beanie in extra-fine merino, soft and never itchy, topped with a big pompom. One adult size.",
                ),
                price: 3900,
                category: "knitwear",
                tags: tr(
                    "bonnet, laine, mérinos, hiver",
                    "beanie, wool, merino, winter",
                ),
                materials: tr("laine mérinos", "merino wool"),
                weight_g: Some(110),
                variants: &[
                    variant(tr("couleur", "colour"), tr("Rouille", "Rust"), None, 4),
                    variant(tr("couleur", "colour"), tr("Moutarde", "Mustard"), None, 4),
                    variant(
                        tr("couleur", "colour"),
                        tr("Bleu nuit", "Midnight blue"),
                        None,
                        4,
                    ),
                ],
                motif: Motif::Beanie,
                colour: Some(0xb5533c),
                photos: 2,
                alt: tr(
                    "Un bonnet côtelé couleur rouille à pompon",
                    "A rust-coloured ribbed beanie with a pompom",
                ),
                ..LISTING
            },
            DemoListing {
                title: tr("Moufles norvégiennes", "Nordic mittens"),
                description: tr(
                    "Des moufles doublées tricotées en jacquard, avec une bande de motifs norvégiens. Laine de pays, chaude même sous la neige.",
                    "Lined mittens knitted in jacquard, with a band of Nordic patterns. Local wool, warm even in the snow.",
                ),
                price: 3400,
                stock: 8,
                category: "knitwear",
                tags: tr("moufles, jacquard, hiver", "mittens, jacquard, winter"),
                materials: tr("laine", "wool"),
                weight_g: Some(120),
                motif: Motif::Mittens,
                colour: Some(0x2f4f4f),
                alt: tr(
                    "Une paire de moufles vert sapin à motifs clairs",
                    "A pair of fir-green mittens with a light pattern",
                ),
                ..LISTING
            },
            DemoListing {
                title: tr("Écharpe torsadée", "Cable-knit scarf"),
                description: tr(
                    "Une longue écharpe en torsades, 200\u{a0}cm, tricotée main en laine mérinos et alpaga. Frangée aux deux bouts.",
                    "A long cable-knit scarf, 200 cm, hand-knitted in merino and alpaca. Fringed at both ends.",
                ),
                price: 5900,
                stock: 5,
                category: "knitwear",
                tags: tr("écharpe, torsades, alpaga", "scarf, cables, alpaca"),
                materials: tr("mérinos, alpaga", "merino, alpaca"),
                weight_g: Some(280),
                processing_days: Some(4),
                motif: Motif::Scarf,
                colour: Some(0xd9a441),
                alt: tr(
                    "Une écharpe jaune moutarde frangée, posée en vague",
                    "A fringed mustard-yellow scarf lying in a wave",
                ),
                ..LISTING
            },
            DemoListing {
                title: tr("Sac en crochet", "Crochet market bag"),
                description: tr(
                    "Un sac de marché crocheté en coton recyclé, extensible, avec deux anses solides. Se plie dans une poche.",
                    "A stretchy market bag crocheted in recycled cotton, with two strong handles. Folds into a pocket.",
                ),
                price: 4800,
                stock: 4,
                category: "accessories",
                tags: tr(
                    "sac, crochet, coton recyclé",
                    "bag, crochet, recycled cotton",
                ),
                materials: tr("coton recyclé", "recycled cotton"),
                weight_g: Some(150),
                motif: Motif::CrochetBag,
                colour: Some(0x6b8f5e),
                alt: tr(
                    "Un filet en crochet vert plein d’oranges, à anses en corde",
                    "A green crochet net bag full of oranges, with rope handles",
                ),
                ..LISTING
            },
            DemoListing {
                title: tr("Snood en alpaga", "Alpaca snood"),
                description: tr(
                    "Un col tube en alpaga, léger comme un nuage, qui se glisse sous un manteau. Couleur prune.",
                    "A cowl in alpaca, light as a cloud, that slips under a coat. Plum colour.",
                ),
                price: 4400,
                stock: 6,
                category: "knitwear",
                tags: tr("snood, col, alpaga", "snood, cowl, alpaca"),
                materials: tr("alpaga", "alpaca"),
                weight_g: Some(90),
                motif: Motif::Scarf,
                colour: Some(0x8a4f7d),
                alt: tr(
                    "Un snood couleur prune posé sur la table",
                    "A plum-coloured snood lying on the table",
                ),
                ..LISTING
            },
        ],
    },
    DemoShop {
        slug: "presse-et-papier",
        name: "Presse & Papier",
        email: "hugo@presse-papier.example",
        city: "Lyon",
        region: "Auvergne-Rhône-Alpes",
        latitude: 45.7690,
        longitude: 4.8296,
        story: tr(
            "Hugo grave le lino et imprime à la presse à bras, dans un atelier de la montée de la Grande-Côte. Des vues de Lyon, des paysages, tirés en petites éditions numérotées.",
            "Hugo carves linoleum and prints on a hand press, in a workshop on the montée de la Grande-Côte. Views of Lyon and landscapes, in small numbered editions.",
        ),
        return_policy: RETURNS_14,
        processing_days: (2, 4),
        colour: 0x2f5d8c,
        logo: Motif::Print,
        banner: [Motif::Print, Motif::Postcards, Motif::Painting],
        delivery: &[
            Delivery {
                name: tr("Envoi à plat", "Flat mail"),
                base: 600,
                per_item: 100,
                days: (3, 5),
                pickup: None,
            },
            Delivery {
                name: tr("Retrait à l’atelier", "Pick up at the studio"),
                base: 0,
                per_item: 0,
                days: (1, 6),
                pickup: Some((
                    "21 montée de la Grande-Côte, 69001 Lyon",
                    tr(
                        "Le samedi, 10\u{a0}h – 13\u{a0}h",
                        "Saturdays, 10 am – 1 pm",
                    ),
                )),
            },
        ],
        listings: &[
            DemoListing {
                title: tr(
                    "Linogravure «\u{a0}Les toits de la Croix-Rousse\u{a0}»",
                    "Linocut “Croix-Rousse rooftops”",
                ),
                description: tr(
                    "Une linogravure en trois couleurs, tirée à la main sur papier Rives 250\u{a0}g. Édition de 50, numérotée et signée.",
                    "A three-colour linocut, printed by hand on 250 g Rives paper. Edition of 50, numbered and signed.",
                ),
                price: 3500,
                category: "prints",
                tags: tr(
                    "gravure, Lyon, Croix-Rousse, affiche",
                    "print, Lyon, Croix-Rousse, wall art",
                ),
                materials: tr("papier, encre", "paper, ink"),
                weight_g: Some(60),
                variants: &[
                    variant(tr("format", "size"), tr("A4", "A4"), None, 10),
                    variant(tr("format", "size"), tr("A3", "A3"), Some(5500), 5),
                ],
                motif: Motif::Print,
                colour: Some(0xc9683f),
                photos: 2,
                alt: tr(
                    "Une gravure encadrée de collines et de toits sous un soleil",
                    "A framed print of hills and rooftops under a sun",
                ),
                ..LISTING
            },
            DemoListing {
                title: tr(
                    "Aquarelle originale «\u{a0}Quais de Saône\u{a0}»",
                    "Original watercolour “Saône quays”",
                ),
                description: tr(
                    "Une aquarelle originale, 30 × 40\u{a0}cm, peinte sur le motif un matin d’automne. Pièce unique, livrée avec un certificat.",
                    "An original watercolour, 30 × 40 cm, painted on the spot one autumn morning. One of a kind, with a certificate.",
                ),
                price: 18000,
                stock: 1,
                category: "paintings",
                tags: tr("aquarelle, original, Saône", "watercolour, original, Saône"),
                materials: tr("aquarelle, papier coton", "watercolour, cotton paper"),
                weight_g: Some(400),
                processing_days: Some(3),
                motif: Motif::Painting,
                colour: Some(0x2f5d8c),
                photos: 2,
                alt: tr(
                    "Une aquarelle de collines bleues dans un cadre fin",
                    "A watercolour of blue hills in a thin frame",
                ),
                ..LISTING
            },
            DemoListing {
                title: tr(
                    "Affiche «\u{a0}Fourvière au petit matin\u{a0}»",
                    "Poster “Fourvière at dawn”",
                ),
                description: tr(
                    "Une affiche 30 × 40\u{a0}cm imprimée en risographie, aux couleurs d’un lever de soleil sur la colline.",
                    "A 30 × 40 cm risograph poster in the colours of sunrise over the hill.",
                ),
                price: 2500,
                stock: 20,
                category: "prints",
                tags: tr("affiche, Fourvière, Lyon", "poster, Fourvière, Lyon"),
                materials: tr("papier recyclé", "recycled paper"),
                weight_g: Some(40),
                motif: Motif::Print,
                colour: Some(0xd9a441),
                alt: tr(
                    "Une affiche encadrée aux couleurs dorées d’un lever de soleil",
                    "A framed poster in the golden colours of a sunrise",
                ),
                ..LISTING
            },
            DemoListing {
                title: tr(
                    "Cartes postales illustrées (lot de 6)",
                    "Illustrated postcards (set of 6)",
                ),
                description: tr(
                    "Six cartes tirées des gravures de l’atelier, avec leurs enveloppes kraft. Pour écrire à ceux qu’on aime.",
                    "Six cards from the workshop’s prints, with kraft envelopes. For writing to the people you love.",
                ),
                price: 1200,
                stock: 40,
                category: "prints",
                tags: tr("cartes postales, papeterie", "postcards, stationery"),
                materials: tr("papier", "paper"),
                weight_g: Some(80),
                processing_days: Some(1),
                motif: Motif::Postcards,
                colour: Some(0x4f7a4f),
                alt: tr(
                    "Trois cartes postales illustrées de paysages, en éventail",
                    "Three landscape postcards fanned out",
                ),
                ..LISTING
            },
            DemoListing {
                title: tr(
                    "Peinture à l’huile «\u{a0}Jardin des Plantes\u{a0}»",
                    "Oil painting “Botanical garden”",
                ),
                description: tr(
                    "Une huile sur toile, 40 × 50\u{a0}cm, encadrée de chêne. Le jardin des Plantes de la Croix-Rousse au printemps.",
                    "Oil on canvas, 40 × 50 cm, in an oak frame. The Croix-Rousse botanical garden in spring.",
                ),
                price: 32000,
                stock: 1,
                category: "paintings",
                tags: tr("peinture, huile, jardin", "painting, oil, garden"),
                materials: tr("huile, toile, chêne", "oil, canvas, oak"),
                weight_g: Some(1800),
                processing_days: Some(3),
                motif: Motif::Painting,
                colour: Some(0x4f7a4f),
                alt: tr(
                    "Un tableau de collines vertes dans un cadre en bois",
                    "A painting of green hills in a wooden frame",
                ),
                ..LISTING
            },
        ],
    },
];
