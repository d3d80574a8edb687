//! The farm co-op marketplace `ferme`: vegetables, eggs, cheese, honey, fruit, bread and
//! charcuterie from farms of the Ain and the Monts du Lyonnais.

use super::data::{Delivery, DemoListing, DemoShop, LISTING, Tr, tr, variant};
use krafto_demo_art::Motif;

const FRESH_RETURNS: Tr = tr(
    "Produits frais\u{a0}: ni repris ni échangés. Si quelque chose ne va pas, écrivez-nous et nous trouverons une solution.",
    "Fresh produce cannot be returned or exchanged. If anything is wrong, write to us and we will put it right.",
);

pub(super) const SHOPS: &[DemoShop] = &[
    DemoShop {
        slug: "ferme-des-saules",
        name: "Ferme des Saules",
        email: "marie@saules.example",
        city: "Montracol",
        region: "Auvergne-Rhône-Alpes",
        latitude: 46.1920,
        longitude: 5.1060,
        story: tr(
            "Marie et Antoine cultivent une quinzaine de légumes en agriculture biologique près de Bourg-en-Bresse, élèvent des poules en plein air et quelques chèvres. Tout est cueilli la veille du marché.",
            "Marie and Antoine grow some fifteen vegetables organically near Bourg-en-Bresse, raise free-range hens and a few goats. Everything is picked the day before market.",
        ),
        return_policy: FRESH_RETURNS,
        processing_days: (1, 2),
        colour: 0x4f7a3a,
        logo: Motif::Carrots,
        banner: [Motif::VegBox, Motif::Eggs, Motif::Lettuce],
        delivery: &[
            Delivery {
                name: tr("Retrait à la ferme", "Pick up at the farm"),
                base: 0,
                per_item: 0,
                days: (1, 7),
                pickup: Some((
                    "Ferme des Saules, 120 chemin des Saules, 01310 Montracol",
                    tr("Le vendredi, 16\u{a0}h – 19\u{a0}h", "Fridays, 4 pm – 7 pm"),
                )),
            },
            Delivery {
                name: tr("Marché de Bourg-en-Bresse", "Bourg-en-Bresse market"),
                base: 0,
                per_item: 0,
                days: (1, 4),
                pickup: Some((
                    "Place du Champ de Foire, 01000 Bourg-en-Bresse",
                    tr(
                        "Le mercredi et le samedi, 7\u{a0}h – 12\u{a0}h",
                        "Wednesdays and Saturdays, 7 am – noon",
                    ),
                )),
            },
            Delivery {
                name: tr(
                    "Livraison à domicile (30\u{a0}km)",
                    "Home delivery (within 30 km)",
                ),
                base: 500,
                per_item: 0,
                days: (1, 3),
                pickup: None,
            },
        ],
        listings: &[
            DemoListing {
                title: tr("Panier de légumes de saison", "Seasonal vegetable box"),
                description: tr(
                    "Le meilleur du jardin de la semaine, selon la saison\u{a0}: salades, carottes, tomates, poireaux, courges. Le petit panier nourrit deux à trois personnes, le grand quatre à cinq.",
                    "The best of the week’s garden, whatever the season brings: lettuce, carrots, tomatoes, leeks, squash. The small box feeds two or three, the large one four or five.",
                ),
                price: 2200,
                category: "vegetables",
                tags: tr(
                    "panier, légumes, bio, saison",
                    "box, vegetables, organic, seasonal",
                ),
                processing_days: Some(1),
                variants: &[
                    variant(tr("taille", "size"), tr("Petit", "Small"), Some(1600), 20),
                    variant(tr("taille", "size"), tr("Grand", "Large"), Some(2600), 20),
                ],
                motif: Motif::VegBox,
                colour: Some(0xc89a6a),
                alt: tr(
                    "Une cagette en bois pleine de salades, tomates et carottes",
                    "A wooden crate full of lettuce, tomatoes and carrots",
                ),
                ..LISTING
            },
            DemoListing {
                title: tr("Œufs frais de plein air (12)", "Free-range eggs (12)"),
                description: tr(
                    "Une douzaine d’œufs pondus par nos poules qui courent dans le verger toute la journée. Ramassés chaque matin.",
                    "A dozen eggs laid by our hens, who roam the orchard all day. Collected every morning.",
                ),
                price: 480,
                stock: 60,
                category: "eggs",
                tags: tr("œufs, plein air, poules", "eggs, free range, hens"),
                processing_days: Some(1),
                motif: Motif::Eggs,
                colour: Some(0xc9926a),
                photos: 2,
                alt: tr(
                    "Des œufs bruns et blancs dans un panier en osier",
                    "Brown and white eggs in a wicker basket",
                ),
                ..LISTING
            },
            DemoListing {
                title: tr("Fromage de chèvre frais", "Fresh goat cheese"),
                description: tr(
                    "Un petit fromage au lait cru de nos chèvres, moulé à la louche. Frais et crémeux la première semaine, plus affiné ensuite.",
                    "A small raw-milk cheese from our goats, ladle-moulded. Fresh and creamy the first week, firmer after that.",
                ),
                price: 650,
                stock: 30,
                category: "cheese",
                tags: tr("fromage, chèvre, lait cru", "cheese, goat, raw milk"),
                processing_days: Some(1),
                motif: Motif::GoatCheese,
                photos: 2,
                alt: tr(
                    "Trois petits fromages de chèvre sur une ardoise, un brin de thym",
                    "Three small goat cheeses on a slate with a sprig of thyme",
                ),
                ..LISTING
            },
            DemoListing {
                title: tr("Botte de carottes nouvelles", "Bunch of new carrots"),
                description: tr(
                    "Une botte d’environ 800\u{a0}g de carottes nouvelles, avec leurs fanes. Sucrées, à croquer crues.",
                    "A bunch of about 800 g of new carrots with their tops. Sweet enough to eat raw.",
                ),
                price: 250,
                stock: 50,
                category: "roots",
                tags: tr("carottes, primeurs, bio", "carrots, new season, organic"),
                processing_days: Some(1),
                motif: Motif::Carrots,
                alt: tr(
                    "Une botte de carottes orange avec leurs fanes vertes",
                    "A bunch of orange carrots with their green tops",
                ),
                ..LISTING
            },
            DemoListing {
                title: tr("Salade batavia", "Batavia lettuce"),
                description: tr(
                    "Une belle batavia croquante, cueillie le matin même du retrait.",
                    "A crisp batavia lettuce, picked on the morning you collect it.",
                ),
                price: 180,
                stock: 40,
                category: "leafy-greens",
                tags: tr("salade, batavia, bio", "lettuce, salad, organic"),
                processing_days: Some(1),
                motif: Motif::Lettuce,
                alt: tr(
                    "Une salade batavia vert tendre",
                    "A fresh green batavia lettuce",
                ),
                ..LISTING
            },
            DemoListing {
                title: tr("Pommes de terre (2,5\u{a0}kg)", "Potatoes (2.5 kg)"),
                description: tr(
                    "Des pommes de terre à chair ferme, parfaites vapeur, sautées ou en salade. Lavées, prêtes à cuisiner.",
                    "Firm-fleshed potatoes, perfect steamed, sautéed or in a salad. Washed and ready to cook.",
                ),
                price: 450,
                stock: 35,
                category: "roots",
                tags: tr("pommes de terre, légumes", "potatoes, vegetables"),
                processing_days: Some(1),
                motif: Motif::Potatoes,
                alt: tr(
                    "Un petit tas de pommes de terre blondes",
                    "A small heap of golden potatoes",
                ),
                ..LISTING
            },
        ],
    },
    DemoShop {
        slug: "rucher-du-revermont",
        name: "Le Rucher du Revermont",
        email: "julien@rucher-revermont.example",
        city: "Treffort",
        region: "Auvergne-Rhône-Alpes",
        latitude: 46.2690,
        longitude: 5.3660,
        story: tr(
            "Julien soigne 120 ruches sur les pentes du Revermont, entre acacias, tilleuls et sapins. Le miel est extrait à froid et mis en pot à la miellerie.",
            "Julien keeps 120 hives on the slopes of the Revermont, among acacias, limes and firs. The honey is cold-extracted and jarred at the honey house.",
        ),
        return_policy: FRESH_RETURNS,
        processing_days: (1, 3),
        colour: 0xc98b1e,
        logo: Motif::HoneyJar,
        banner: [Motif::HoneyJar, Motif::Gingerbread, Motif::HoneyJar],
        delivery: &[
            Delivery {
                name: tr("Colissimo", "Colissimo"),
                base: 690,
                per_item: 150,
                days: (2, 4),
                pickup: None,
            },
            Delivery {
                name: tr("Retrait au rucher", "Pick up at the apiary"),
                base: 0,
                per_item: 0,
                days: (1, 7),
                pickup: Some((
                    "Le Rucher du Revermont, 4 route de Cuisiat, 01370 Treffort",
                    tr("Le samedi, 9\u{a0}h – 12\u{a0}h", "Saturdays, 9 am – noon"),
                )),
            },
        ],
        listings: &[
            DemoListing {
                title: tr("Miel d’acacia", "Acacia honey"),
                description: tr(
                    "Un miel clair et doux qui reste liquide longtemps, idéal pour sucrer le thé ou les yaourts. Récolte de mai.",
                    "A pale, mild honey that stays runny for a long time, ideal in tea or yoghurt. Harvested in May.",
                ),
                price: 1100,
                category: "honey",
                tags: tr("miel, acacia, liquide", "honey, acacia, runny"),
                weight_g: Some(500),
                variants: &[
                    variant(tr("pot", "jar"), tr("250\u{a0}g", "250 g"), Some(650), 20),
                    variant(tr("pot", "jar"), tr("500\u{a0}g", "500 g"), Some(1100), 20),
                    variant(tr("pot", "jar"), tr("1\u{a0}kg", "1 kg"), Some(1900), 10),
                ],
                motif: Motif::HoneyJar,
                colour: Some(0xe8b84a),
                photos: 2,
                alt: tr(
                    "Un pot de miel doré et une cuillère à miel en bois",
                    "A jar of golden honey with a wooden honey dipper",
                ),
                ..LISTING
            },
            DemoListing {
                title: tr(
                    "Miel de fleurs de printemps (500\u{a0}g)",
                    "Spring flower honey (500 g)",
                ),
                description: tr(
                    "Le premier miel de l’année, des fleurs des prés et des fruitiers. Crémeux, au goût fleuri.",
                    "The year’s first honey, from meadow flowers and fruit trees. Creamy, with a floral taste.",
                ),
                price: 950,
                stock: 30,
                category: "honey",
                tags: tr("miel, fleurs, crémeux", "honey, flowers, creamy"),
                weight_g: Some(500),
                motif: Motif::HoneyJar,
                colour: Some(0xd99a1e),
                alt: tr(
                    "Un pot de miel ambré au couvercle doré",
                    "A jar of amber honey with a golden lid",
                ),
                ..LISTING
            },
            DemoListing {
                title: tr("Miel de sapin (500\u{a0}g)", "Fir honeydew honey (500 g)"),
                description: tr(
                    "Un miel de miellat sombre, malté, peu sucré, récolté dans les forêts de sapins du Bugey. Une année sur deux seulement.",
                    "A dark, malty honeydew honey, not too sweet, gathered in the fir forests of the Bugey. Only one year in two.",
                ),
                price: 1350,
                stock: 12,
                category: "honey",
                tags: tr("miel, sapin, forêt", "honey, fir, forest"),
                weight_g: Some(500),
                motif: Motif::HoneyJar,
                colour: Some(0xa8641a),
                alt: tr("Un pot de miel brun foncé", "A jar of dark brown honey"),
                ..LISTING
            },
            DemoListing {
                title: tr("Miel de lavande (250\u{a0}g)", "Lavender honey (250 g)"),
                description: tr(
                    "Un miel fin et parfumé, récolté par nos ruches transhumantes sur les lavandes de la Drôme.",
                    "A fine, fragrant honey, gathered by our travelling hives on the lavender fields of the Drôme.",
                ),
                price: 790,
                stock: 18,
                category: "honey",
                tags: tr("miel, lavande, Drôme", "honey, lavender, Drôme"),
                weight_g: Some(250),
                motif: Motif::HoneyJar,
                colour: Some(0xe8c46a),
                alt: tr("Un petit pot de miel clair", "A small jar of pale honey"),
                ..LISTING
            },
            DemoListing {
                title: tr("Pain d’épices au miel", "Honey gingerbread"),
                description: tr(
                    "Un pain d’épices moelleux fait avec 50\u{a0}% de notre miel de fleurs, de la farine de seigle et des épices. 400\u{a0}g.",
                    "A soft gingerbread made with 50% of our flower honey, rye flour and spices. 400 g.",
                ),
                price: 750,
                stock: 15,
                category: "pantry",
                tags: tr("pain d’épices, miel, goûter", "gingerbread, honey, snack"),
                weight_g: Some(400),
                motif: Motif::Gingerbread,
                photos: 2,
                alt: tr(
                    "Un pain d’épices entamé sur une planche, deux tranches devant",
                    "A gingerbread loaf on a board, two slices in front",
                ),
                ..LISTING
            },
        ],
    },
    DemoShop {
        slug: "verger-des-monts-d-or",
        name: "Le Verger des Monts d’Or",
        email: "sophie@verger-montsdor.example",
        city: "Poleymieux-au-Mont-d’Or",
        region: "Auvergne-Rhône-Alpes",
        latitude: 45.8640,
        longitude: 4.8010,
        story: tr(
            "Un verger familial de pommiers, poiriers et abricotiers au nord de Lyon. Sophie fait les confitures et le jus avec les fruits de la ferme, rien d’autre.",
            "A family orchard of apple, pear and apricot trees north of Lyon. Sophie makes the jams and the juice from the farm’s own fruit, nothing else.",
        ),
        return_policy: FRESH_RETURNS,
        processing_days: (1, 2),
        colour: 0xb0263a,
        logo: Motif::Apples,
        banner: [Motif::Apples, Motif::JamJar, Motif::Bottle],
        delivery: &[
            Delivery {
                name: tr(
                    "Livraison à Lyon et dans les Monts d’Or",
                    "Delivery in Lyon and the Monts d’Or",
                ),
                base: 450,
                per_item: 0,
                days: (1, 2),
                pickup: None,
            },
            Delivery {
                name: tr("Retrait au verger", "Pick up at the orchard"),
                base: 0,
                per_item: 0,
                days: (1, 4),
                pickup: Some((
                    "9 chemin du Mont Thou, 69250 Poleymieux-au-Mont-d’Or",
                    tr(
                        "Le mercredi et le samedi, 14\u{a0}h – 18\u{a0}h",
                        "Wednesdays and Saturdays, 2 pm – 6 pm",
                    ),
                )),
            },
        ],
        listings: &[
            DemoListing {
                title: tr("Pommes Reine des reinettes", "Reine des Reinettes apples"),
                description: tr(
                    "Une vieille variété croquante et acidulée, aussi bonne à croquer qu’en tarte. Cueillies à la main, non traitées après récolte.",
                    "An old variety, crisp and tangy, as good to eat as in a tart. Picked by hand, untreated after harvest.",
                ),
                price: 320,
                category: "fruit",
                tags: tr("pommes, verger, tarte", "apples, orchard, baking"),
                processing_days: Some(1),
                variants: &[
                    variant(
                        tr("poids", "weight"),
                        tr("1\u{a0}kg", "1 kg"),
                        Some(320),
                        40,
                    ),
                    variant(
                        tr("poids", "weight"),
                        tr("3\u{a0}kg", "3 kg"),
                        Some(850),
                        20,
                    ),
                ],
                motif: Motif::Apples,
                colour: Some(0xd0762a),
                photos: 2,
                alt: tr(
                    "Quatre pommes rouge-orangé, l’une avec sa feuille",
                    "Four orange-red apples, one with its leaf",
                ),
                ..LISTING
            },
            DemoListing {
                title: tr("Poires Williams (1\u{a0}kg)", "Williams pears (1 kg)"),
                description: tr(
                    "Des poires juteuses et parfumées, cueillies à point. À laisser mûrir un ou deux jours dans une corbeille.",
                    "Juicy, fragrant pears, picked just right. Leave them a day or two in a fruit bowl.",
                ),
                price: 380,
                stock: 30,
                category: "fruit",
                tags: tr("poires, verger, fruits", "pears, orchard, fruit"),
                processing_days: Some(1),
                motif: Motif::Pears,
                alt: tr(
                    "Quatre poires jaunes tachetées de roux",
                    "Four yellow pears with russet freckles",
                ),
                ..LISTING
            },
            DemoListing {
                title: tr("Confiture d’abricots (340\u{a0}g)", "Apricot jam (340 g)"),
                description: tr(
                    "Des abricots du verger cuits au chaudron avec peu de sucre, en gros morceaux.",
                    "Apricots from the orchard cooked in a copper pan with little sugar, in big pieces.",
                ),
                price: 590,
                stock: 25,
                category: "preserves",
                tags: tr("confiture, abricot, fait maison", "jam, apricot, homemade"),
                weight_g: Some(340),
                motif: Motif::JamJar,
                colour: Some(0xe0782a),
                photos: 2,
                alt: tr(
                    "Un pot de confiture orange coiffé d’un tissu vichy, deux abricots à côté",
                    "A jar of orange jam under a gingham cloth, two apricots beside it",
                ),
                ..LISTING
            },
            DemoListing {
                title: tr(
                    "Confiture de fraises (340\u{a0}g)",
                    "Strawberry jam (340 g)",
                ),
                description: tr(
                    "Des fraises cueillies en juin, cuites doucement pour garder leur goût de fruit frais.",
                    "Strawberries picked in June, cooked gently to keep the taste of fresh fruit.",
                ),
                price: 590,
                stock: 25,
                category: "preserves",
                tags: tr(
                    "confiture, fraise, fait maison",
                    "jam, strawberry, homemade",
                ),
                weight_g: Some(340),
                motif: Motif::JamJar,
                colour: Some(0xb0263a),
                alt: tr(
                    "Un pot de confiture rouge sous un tissu vichy",
                    "A jar of red jam under a gingham cloth",
                ),
                ..LISTING
            },
            DemoListing {
                title: tr(
                    "Jus de pomme artisanal (1\u{a0}L)",
                    "Craft apple juice (1 L)",
                ),
                description: tr(
                    "Un pur jus de pommes du verger, pressé et pasteurisé à la ferme, sans sucre ajouté.",
                    "Pure juice of the orchard’s apples, pressed and pasteurised on the farm, no added sugar.",
                ),
                price: 420,
                stock: 48,
                category: "pantry",
                tags: tr("jus de pomme, boisson", "apple juice, drink"),
                weight_g: Some(1500),
                motif: Motif::Bottle,
                colour: Some(0xe0a030),
                alt: tr(
                    "Une bouteille de jus de pomme doré et une pomme rouge",
                    "A bottle of golden apple juice and a red apple",
                ),
                ..LISTING
            },
        ],
    },
    DemoShop {
        slug: "ferme-de-la-combe",
        name: "La Ferme de la Combe",
        email: "thomas@ferme-combe.example",
        city: "Saint-Martin-en-Haut",
        region: "Auvergne-Rhône-Alpes",
        latitude: 45.6600,
        longitude: 4.5610,
        story: tr(
            "Dans les Monts du Lyonnais, Thomas élève vaches et cochons en plein air. Fromages affinés en cave, charcuterie séchée à la ferme, pain cuit au feu de bois le vendredi.",
            "In the Monts du Lyonnais, Thomas raises cows and pigs outdoors. Cheeses ripened in the cellar, charcuterie dried on the farm, bread baked in the wood oven on Fridays.",
        ),
        return_policy: FRESH_RETURNS,
        processing_days: (1, 3),
        colour: 0x7a4a2a,
        logo: Motif::Cheese,
        banner: [Motif::Cheese, Motif::Bread, Motif::Sausage],
        delivery: &[
            Delivery {
                name: tr("Colis réfrigéré", "Chilled parcel"),
                base: 990,
                per_item: 100,
                days: (1, 2),
                pickup: None,
            },
            Delivery {
                name: tr("Marché de la Croix-Rousse", "Croix-Rousse market"),
                base: 0,
                per_item: 0,
                days: (1, 7),
                pickup: Some((
                    "Boulevard de la Croix-Rousse, 69004 Lyon",
                    tr("Le samedi, 8\u{a0}h – 13\u{a0}h", "Saturdays, 8 am – 1 pm"),
                )),
            },
        ],
        listings: &[
            DemoListing {
                title: tr(
                    "Tomme de vache fermière (500\u{a0}g)",
                    "Farmhouse cow’s tomme (500 g)",
                ),
                description: tr(
                    "Une tomme au lait cru affinée trois mois en cave, à la croûte grise et à la pâte souple, au goût de noisette.",
                    "A raw-milk tomme ripened three months in the cellar, with a grey rind and a supple, nutty paste.",
                ),
                price: 1200,
                stock: 20,
                category: "cheese",
                tags: tr("fromage, tomme, lait cru", "cheese, tomme, raw milk"),
                weight_g: Some(500),
                motif: Motif::Cheese,
                photos: 2,
                alt: tr(
                    "Une tomme entamée sur une planche, une part coupée devant",
                    "A cut tomme on a board, a wedge in front",
                ),
                ..LISTING
            },
            DemoListing {
                title: tr("Saucisson sec de montagne", "Mountain dry sausage"),
                description: tr(
                    "Un saucisson pur porc de nos cochons élevés en plein air, séché deux mois. Environ 250\u{a0}g.",
                    "A pure pork sausage from our outdoor-raised pigs, dried for two months. About 250 g.",
                ),
                price: 850,
                stock: 30,
                category: "meat",
                tags: tr("saucisson, charcuterie, porc", "sausage, charcuterie, pork"),
                weight_g: Some(250),
                motif: Motif::Sausage,
                photos: 2,
                alt: tr(
                    "Un saucisson sec sur une planche, trois tranches devant",
                    "A dry sausage on a board with three slices in front",
                ),
                ..LISTING
            },
            DemoListing {
                title: tr(
                    "Pain de campagne au levain (1\u{a0}kg)",
                    "Sourdough country loaf (1 kg)",
                ),
                description: tr(
                    "Un grand pain au levain naturel et à la farine de nos blés, cuit au feu de bois. Se garde une semaine.",
                    "A large natural sourdough loaf from our own wheat, baked in the wood oven. Keeps for a week.",
                ),
                price: 550,
                stock: 20,
                category: "pantry",
                tags: tr("pain, levain, feu de bois", "bread, sourdough, wood-fired"),
                weight_g: Some(1000),
                processing_days: Some(1),
                motif: Motif::Bread,
                alt: tr(
                    "Une miche dorée fendue et farinée sur une planche",
                    "A scored, floured golden loaf on a board",
                ),
                ..LISTING
            },
            DemoListing {
                title: tr("Savon au lait de vache", "Cow’s milk soap"),
                description: tr(
                    "Un savon saponifié à froid avec le lait de nos vaches et de l’huile d’olive, doux pour les peaux sensibles. 100\u{a0}g.",
                    "A cold-process soap made with our cows’ milk and olive oil, gentle on sensitive skin. 100 g.",
                ),
                price: 600,
                stock: 25,
                category: "pantry",
                tags: tr("savon, lait, naturel", "soap, milk, natural"),
                weight_g: Some(100),
                motif: Motif::Soap,
                colour: Some(0xf0e6d2),
                alt: tr(
                    "Deux pains de savon crème et un brin vert",
                    "Two cream bars of soap and a green sprig",
                ),
                ..LISTING
            },
        ],
    },
];
