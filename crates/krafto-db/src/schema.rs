// @generated shape of `diesel print-schema` for the migrations in /migrations.
// The schema test in tests/e2e compares every column listed here with the database.

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

diesel::joinable!(tenant_domains -> tenants (tenant_id));

diesel::allow_tables_to_appear_in_same_query!(tenant_domains, tenants);
