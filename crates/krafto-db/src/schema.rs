// @generated shape of `diesel print-schema` for the migrations in /migrations.
// The schema test in tests/e2e compares every column listed here with the database.

pub mod sql_types {
    /// Postgres `tsvector` (read by search queries only, never loaded into models).
    #[derive(diesel::query_builder::QueryId, diesel::sql_types::SqlType, Debug, Clone, Copy)]
    #[diesel(postgres_type(name = "tsvector"))]
    pub struct Tsvector;
}

diesel::table! {
    audit_log (tenant_id, id) {
        tenant_id -> Uuid,
        id -> Uuid,
        actor_kind -> Text,
        actor_id -> Nullable<Uuid>,
        actor_label -> Text,
        action -> Text,
        target -> Text,
        details -> Jsonb,
        request_id -> Nullable<Text>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    categories (tenant_id, id) {
        tenant_id -> Uuid,
        id -> Uuid,
        parent_id -> Nullable<Uuid>,
        slug -> Text,
        name -> Text,
        description -> Nullable<Text>,
        position -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    one_time_codes (tenant_id, id) {
        tenant_id -> Uuid,
        id -> Uuid,
        email -> Text,
        code_hash -> Text,
        requested_ip -> Nullable<Text>,
        attempts -> Int4,
        expires_at -> Timestamptz,
        consumed_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    outbox (tenant_id, id) {
        tenant_id -> Uuid,
        id -> Uuid,
        kind -> Text,
        payload -> Jsonb,
        status -> Text,
        attempts -> Int4,
        run_after -> Timestamptz,
        locked_until -> Nullable<Timestamptz>,
        last_error -> Nullable<Text>,
        created_at -> Timestamptz,
        processed_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    staff (id) {
        id -> Uuid,
        email -> Text,
        password_hash -> Text,
        disabled -> Bool,
        created_at -> Timestamptz,
        last_login_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    tenant_domains (host) {
        host -> Text,
        tenant_id -> Uuid,
        verified -> Bool,
        is_primary -> Bool,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    tenants (id) {
        id -> Uuid,
        slug -> Text,
        name -> Text,
        status -> Text,
        suspended_reason -> Nullable<Text>,
        template -> Text,
        currency -> Text,
        locale -> Text,
        display_name -> Text,
        logo_url -> Nullable<Text>,
        primary_color -> Text,
        accent_color -> Text,
        tagline -> Nullable<Text>,
        seller_commission_bps -> Int4,
        platform_fee_bps -> Int4,
        minimum_order_minor -> Int8,
        features -> Jsonb,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    users (tenant_id, id) {
        tenant_id -> Uuid,
        id -> Uuid,
        email -> Text,
        role -> Text,
        display_name -> Nullable<Text>,
        created_at -> Timestamptz,
        last_login_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    marketplace_settings (tenant_id) {
        tenant_id -> Uuid,
        shop_review_required -> Bool,
        listing_review_required -> Bool,
        min_photos -> Int4,
        required_listing_fields -> Array<Text>,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    shops (tenant_id, id) {
        tenant_id -> Uuid,
        id -> Uuid,
        owner_id -> Uuid,
        slug -> Text,
        name -> Text,
        story -> Nullable<Text>,
        city -> Nullable<Text>,
        region -> Nullable<Text>,
        country -> Nullable<Text>,
        latitude -> Nullable<Float8>,
        longitude -> Nullable<Float8>,
        profile_image_url -> Nullable<Text>,
        banner_url -> Nullable<Text>,
        social_links -> Jsonb,
        return_policy -> Nullable<Text>,
        processing_days_min -> Nullable<Int4>,
        processing_days_max -> Nullable<Int4>,
        languages -> Array<Text>,
        status -> Text,
        status_reason -> Nullable<Text>,
        verified -> Bool,
        rating_avg -> Nullable<Numeric>,
        rating_count -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    shop_verifications (tenant_id, id) {
        tenant_id -> Uuid,
        id -> Uuid,
        shop_id -> Uuid,
        legal_name -> Text,
        business_type -> Text,
        address -> Jsonb,
        document_refs -> Array<Text>,
        status -> Text,
        decision_reason -> Nullable<Text>,
        decided_by -> Nullable<Uuid>,
        submitted_at -> Timestamptz,
        decided_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::Tsvector;

    listings (tenant_id, id) {
        tenant_id -> Uuid,
        id -> Uuid,
        shop_id -> Uuid,
        title -> Text,
        description -> Text,
        price_minor -> Int8,
        currency -> Text,
        quantity -> Int4,
        category_id -> Nullable<Uuid>,
        tags -> Array<Text>,
        materials -> Array<Text>,
        length_mm -> Nullable<Int4>,
        width_mm -> Nullable<Int4>,
        height_mm -> Nullable<Int4>,
        weight_g -> Nullable<Int4>,
        processing_days -> Nullable<Int4>,
        style -> Nullable<Text>,
        photos -> Jsonb,
        status -> Text,
        status_reason -> Nullable<Text>,
        trending_score -> Float8,
        rating_avg -> Nullable<Numeric>,
        rating_count -> Int4,
        search_doc -> Nullable<Tsvector>,
        search_text -> Nullable<Text>,
        published_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        public -> Bool,
    }
}

diesel::table! {
    listing_variants (tenant_id, id) {
        tenant_id -> Uuid,
        id -> Uuid,
        listing_id -> Uuid,
        sku -> Nullable<Text>,
        options -> Jsonb,
        price_minor -> Nullable<Int8>,
        quantity -> Int4,
        position -> Int4,
    }
}

diesel::table! {
    reports (tenant_id, id) {
        tenant_id -> Uuid,
        id -> Uuid,
        reporter_id -> Nullable<Uuid>,
        target_kind -> Text,
        target_id -> Uuid,
        reason -> Text,
        details -> Nullable<Text>,
        status -> Text,
        resolution -> Nullable<Text>,
        resolved_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        resolved_at -> Nullable<Timestamptz>,
    }
}

diesel::joinable!(tenant_domains -> tenants (tenant_id));

diesel::allow_tables_to_appear_in_same_query!(tenant_domains, tenants);
diesel::allow_tables_to_appear_in_same_query!(listings, shops);
