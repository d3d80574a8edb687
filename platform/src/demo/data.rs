//! The shape of the demo catalogue's data (the data itself is in [`super::lyon`] and
//! [`super::ferme`]): every text a buyer reads in French and in English, the marketplace's
//! locale choosing which is written.

use krafto_demo_art::Motif;
use krafto_i18n::Locale;

/// A text in both languages of the demo.
#[derive(Debug, Clone, Copy)]
pub(super) struct Tr {
    pub fr: &'static str,
    pub en: &'static str,
}

/// A text in French and in English.
pub(super) const fn tr(fr: &'static str, en: &'static str) -> Tr {
    Tr { fr, en }
}

impl Tr {
    pub(super) fn get(self, lang: Locale) -> &'static str {
        match lang {
            Locale::Fr => self.fr,
            Locale::En => self.en,
        }
    }

    /// The comma-separated items of the text (tags, materials), trimmed.
    pub(super) fn list(self, lang: Locale) -> Vec<String> {
        self.get(lang)
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    }
}

/// A demo shop and everything it sells.
#[derive(Debug)]
pub(super) struct DemoShop {
    pub slug: &'static str,
    pub name: &'static str,
    /// The seller's sign-in address (codes arrive by e-mail, as for anyone).
    pub email: &'static str,
    pub city: &'static str,
    pub region: &'static str,
    pub latitude: f64,
    pub longitude: f64,
    pub story: Tr,
    pub return_policy: Tr,
    pub processing_days: (i32, i32),
    /// The logo's badge and the banner's wall tint (`0xRRGGBB`).
    pub colour: u32,
    pub logo: Motif,
    pub banner: [Motif; 3],
    pub delivery: &'static [Delivery],
    pub listings: &'static [DemoListing],
}

/// A delivery option; with `pickup` (address, opening hours), one collected there.
#[derive(Debug)]
pub(super) struct Delivery {
    pub name: Tr,
    pub base: i64,
    pub per_item: i64,
    pub days: (i32, i32),
    pub pickup: Option<(&'static str, Tr)>,
}

#[derive(Debug)]
pub(super) struct DemoListing {
    pub title: Tr,
    pub description: Tr,
    /// Minor units (euro cents).
    pub price: i64,
    /// Ignored when the listing has variants (their stock adds up).
    pub stock: i32,
    /// A category slug of the marketplace's template.
    pub category: &'static str,
    /// Comma-separated.
    pub tags: Tr,
    /// Comma-separated; may be empty.
    pub materials: Tr,
    pub weight_g: Option<i32>,
    /// Length, width, height in millimetres.
    pub dimensions: Option<(i32, i32, i32)>,
    pub processing_days: Option<i32>,
    pub variants: &'static [Variant],
    /// What its photos show, in which main colour (`0xRRGGBB`, or the motif's own).
    pub motif: Motif,
    pub colour: Option<u32>,
    /// 1 (the object) or 2 (and a close-up).
    pub photos: u8,
    /// The photos' text alternative.
    pub alt: Tr,
}

/// The defaults every listing starts from (`..LISTING`).
pub(super) const LISTING: DemoListing = DemoListing {
    title: tr("", ""),
    description: tr("", ""),
    price: 0,
    stock: 0,
    category: "",
    tags: tr("", ""),
    materials: tr("", ""),
    weight_g: None,
    dimensions: None,
    processing_days: Some(2),
    variants: &[],
    motif: Motif::Bowl,
    colour: None,
    photos: 1,
    alt: tr("", ""),
};

/// One choice of a listing (`option`: `value`), at its own price when given.
#[derive(Debug)]
pub(super) struct Variant {
    pub option: Tr,
    pub value: Tr,
    pub price: Option<i64>,
    pub stock: i32,
}

/// A variant.
pub(super) const fn variant(option: Tr, value: Tr, price: Option<i64>, stock: i32) -> Variant {
    Variant {
        option,
        value,
        price,
        stock,
    }
}
