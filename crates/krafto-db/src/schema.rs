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
        names -> Jsonb,
    }
}

diesel::table! {
    commission_overrides (tenant_id, id) {
        tenant_id -> Uuid,
        id -> Uuid,
        shop_id -> Nullable<Uuid>,
        category_id -> Nullable<Uuid>,
        commission_bps -> Int4,
        note -> Nullable<Text>,
        created_at -> Timestamptz,
        created_by -> Nullable<Uuid>,
        updated_at -> Timestamptz,
        updated_by -> Nullable<Uuid>,
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
    otp_address_requests (id) {
        id -> Uuid,
        address_hash -> Text,
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
        buyer_fee_bps -> Int4,
        stripe_account_id -> Nullable<Text>,
        stripe_charges_enabled -> Bool,
        stripe_payouts_enabled -> Bool,
        stripe_requirements -> Array<Text>,
        stripe_state_at -> Int8,
        logo_image -> Nullable<Jsonb>,
        powered_by -> Bool,
        public_api -> Bool,
        support_email -> Nullable<Text>,
        refund_platform_fee -> Bool,
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
        phone -> Nullable<Text>,
        erased_at -> Nullable<Timestamptz>,
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
        review_time_amount -> Int4,
        review_time_unit -> Text,
        payout_timing -> Text,
        payout_delay_days -> Int4,
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
        logo_image -> Nullable<Jsonb>,
        banner_image -> Nullable<Jsonb>,
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
    legal_pages (tenant_id, kind) {
        tenant_id -> Uuid,
        kind -> Text,
        body -> Text,
        updated_at -> Timestamptz,
        updated_by -> Nullable<Uuid>,
    }
}

diesel::table! {
    listing_photos (tenant_id, id) {
        tenant_id -> Uuid,
        id -> Uuid,
        listing_id -> Uuid,
        position -> Int4,
        alt -> Text,
        image_key -> Text,
        widths -> Array<Int4>,
        width -> Int4,
        height -> Int4,
        source_url -> Nullable<Text>,
        created_at -> Timestamptz,
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

diesel::table! {
    payment_accounts (account_id) {
        account_id -> Text,
        tenant_id -> Uuid,
        holder -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    seller_accounts (tenant_id, shop_id) {
        tenant_id -> Uuid,
        shop_id -> Uuid,
        account_id -> Text,
        charges_enabled -> Bool,
        payouts_enabled -> Bool,
        details_submitted -> Bool,
        requirements -> Array<Text>,
        state_at -> Int8,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    seller_payouts (tenant_id, id) {
        tenant_id -> Uuid,
        id -> Uuid,
        gateway_id -> Text,
        shop_id -> Uuid,
        amount_minor -> Int8,
        currency -> Text,
        status -> Text,
        payout_created_at -> Timestamptz,
        arrival_date -> Nullable<Timestamptz>,
        failure_code -> Nullable<Text>,
        failure_message -> Nullable<Text>,
        state_at -> Int8,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    shipping_options (tenant_id, id) {
        tenant_id -> Uuid,
        id -> Uuid,
        shop_id -> Uuid,
        name -> Text,
        base_minor -> Int8,
        per_item_minor -> Int8,
        days_min -> Int4,
        days_max -> Int4,
        position -> Int4,
    }
}

diesel::table! {
    pickup_places (tenant_id, option_id) {
        tenant_id -> Uuid,
        option_id -> Uuid,
        address -> Text,
        hours -> Text,
    }
}

diesel::table! {
    buyer_addresses (tenant_id, id) {
        tenant_id -> Uuid,
        id -> Uuid,
        user_id -> Uuid,
        name -> Text,
        line1 -> Text,
        line2 -> Nullable<Text>,
        postal_code -> Text,
        city -> Text,
        region -> Nullable<Text>,
        country -> Text,
        is_default -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    carts (tenant_id, id) {
        tenant_id -> Uuid,
        id -> Uuid,
        user_id -> Nullable<Uuid>,
        guest_token_hash -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    cart_lines (tenant_id, id) {
        tenant_id -> Uuid,
        id -> Uuid,
        cart_id -> Uuid,
        listing_id -> Uuid,
        variant_id -> Nullable<Uuid>,
        quantity -> Int4,
        added_price_minor -> Int8,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    checkouts (tenant_id, id) {
        tenant_id -> Uuid,
        id -> Uuid,
        cart_id -> Uuid,
        buyer_id -> Nullable<Uuid>,
        email -> Text,
        phone -> Nullable<Text>,
        address -> Jsonb,
        currency -> Text,
        items_minor -> Int8,
        shipping_minor -> Int8,
        buyer_fee_minor -> Int8,
        total_minor -> Int8,
        commission_bps -> Int4,
        platform_fee_bps -> Int4,
        buyer_fee_bps -> Int4,
        plan -> Jsonb,
        status -> Text,
        gateway -> Text,
        payment_id -> Nullable<Text>,
        client_secret -> Nullable<Text>,
        idempotency_key -> Text,
        request_hash -> Text,
        failure_reason -> Nullable<Text>,
        expires_at -> Timestamptz,
        payment_state_at -> Int8,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        paid_at -> Nullable<Timestamptz>,
        charge_id -> Nullable<Text>,
        stripe_fee_minor -> Nullable<Int8>,
    }
}

diesel::table! {
    order_counters (tenant_id) {
        tenant_id -> Uuid,
        last_value -> Int8,
    }
}

diesel::table! {
    orders (tenant_id, id) {
        tenant_id -> Uuid,
        id -> Uuid,
        number -> Text,
        checkout_id -> Uuid,
        shop_id -> Uuid,
        buyer_id -> Nullable<Uuid>,
        email -> Text,
        phone -> Nullable<Text>,
        address -> Jsonb,
        status -> Text,
        currency -> Text,
        items_minor -> Int8,
        shipping_minor -> Int8,
        buyer_fee_minor -> Int8,
        total_minor -> Int8,
        commission_minor -> Int8,
        platform_fee_minor -> Int8,
        seller_net_minor -> Int8,
        shipping_option -> Text,
        tracking_number -> Nullable<Text>,
        access_token_hash -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        payment_status -> Text,
    }
}

diesel::table! {
    order_lines (tenant_id, id) {
        tenant_id -> Uuid,
        id -> Uuid,
        order_id -> Uuid,
        listing_id -> Uuid,
        variant_id -> Nullable<Uuid>,
        title -> Text,
        variant_label -> Nullable<Text>,
        unit_price_minor -> Int8,
        quantity -> Int4,
        amount_minor -> Int8,
        commission_bps -> Int4,
        platform_fee_bps -> Int4,
        seller_net_minor -> Int8,
        tenant_share_minor -> Int8,
        platform_fee_minor -> Int8,
        position -> Int4,
    }
}

diesel::table! {
    order_events (tenant_id, id) {
        tenant_id -> Uuid,
        id -> Uuid,
        order_id -> Uuid,
        from_status -> Nullable<Text>,
        to_status -> Text,
        actor_kind -> Text,
        actor_id -> Nullable<Uuid>,
        reason -> Nullable<Text>,
        created_at -> Timestamptz,
        kind -> Text,
        amount_minor -> Nullable<Int8>,
    }
}

diesel::table! {
    ledger_entries (tenant_id, id) {
        tenant_id -> Uuid,
        id -> Uuid,
        journal_id -> Uuid,
        checkout_id -> Uuid,
        order_id -> Nullable<Uuid>,
        account -> Text,
        kind -> Text,
        amount_minor -> Int8,
        currency -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    transfers (tenant_id, id) {
        tenant_id -> Uuid,
        id -> Uuid,
        checkout_id -> Uuid,
        order_id -> Nullable<Uuid>,
        recipient -> Text,
        destination -> Text,
        amount_minor -> Int8,
        currency -> Text,
        idempotency_key -> Text,
        status -> Text,
        gateway_id -> Nullable<Text>,
        last_error -> Nullable<Text>,
        created_at -> Timestamptz,
        sent_at -> Nullable<Timestamptz>,
        netted_at -> Nullable<Timestamptz>,
        release_at -> Nullable<Timestamptz>,
        sweep_id -> Nullable<Uuid>,
    }
}

diesel::table! {
    marketplace_sweeps (tenant_id, id) {
        tenant_id -> Uuid,
        id -> Uuid,
        currency -> Text,
        destination -> Text,
        amount_minor -> Int8,
        idempotency_key -> Text,
        status -> Text,
        gateway_id -> Nullable<Text>,
        last_error -> Nullable<Text>,
        created_at -> Timestamptz,
        sent_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    refunds (tenant_id, id) {
        tenant_id -> Uuid,
        id -> Uuid,
        checkout_id -> Uuid,
        order_id -> Nullable<Uuid>,
        amount_minor -> Int8,
        reason -> Text,
        status -> Text,
        gateway_id -> Nullable<Text>,
        last_error -> Nullable<Text>,
        created_at -> Timestamptz,
        sent_at -> Nullable<Timestamptz>,
        currency -> Nullable<Text>,
        items_minor -> Int8,
        shipping_minor -> Int8,
        buyer_fee_minor -> Int8,
        seller_minor -> Int8,
        tenant_minor -> Int8,
        platform_minor -> Int8,
        allocated -> Bool,
        actor_kind -> Nullable<Text>,
        actor_id -> Nullable<Uuid>,
        request_id -> Nullable<Uuid>,
    }
}

diesel::table! {
    refund_requests (tenant_id, id) {
        tenant_id -> Uuid,
        id -> Uuid,
        order_id -> Uuid,
        status -> Text,
        reason -> Text,
        requested_by -> Text,
        requested_by_id -> Nullable<Uuid>,
        decided_by -> Nullable<Text>,
        decided_by_id -> Nullable<Uuid>,
        decision_reason -> Nullable<Text>,
        decided_at -> Nullable<Timestamptz>,
        refund_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    refund_request_lines (tenant_id, request_id, order_line_id) {
        tenant_id -> Uuid,
        request_id -> Uuid,
        order_line_id -> Uuid,
        quantity -> Int4,
        open -> Bool,
    }
}

diesel::table! {
    refund_lines (tenant_id, refund_id, order_line_id) {
        tenant_id -> Uuid,
        refund_id -> Uuid,
        order_line_id -> Uuid,
        quantity -> Int4,
        amount_minor -> Int8,
        seller_net_minor -> Int8,
        tenant_share_minor -> Int8,
        platform_fee_minor -> Int8,
    }
}

diesel::table! {
    transfer_reversals (tenant_id, id) {
        tenant_id -> Uuid,
        id -> Uuid,
        transfer_id -> Uuid,
        refund_id -> Nullable<Uuid>,
        recipient -> Text,
        amount_minor -> Int8,
        currency -> Text,
        idempotency_key -> Text,
        status -> Text,
        gateway_id -> Nullable<Text>,
        last_error -> Nullable<Text>,
        created_at -> Timestamptz,
        sent_at -> Nullable<Timestamptz>,
        dispute_id -> Nullable<Uuid>,
    }
}

diesel::table! {
    debts (tenant_id, id) {
        tenant_id -> Uuid,
        id -> Uuid,
        recipient -> Text,
        currency -> Text,
        amount_minor -> Int8,
        recovered_minor -> Int8,
        reason -> Text,
        refund_id -> Nullable<Uuid>,
        reversal_id -> Nullable<Uuid>,
        order_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
        settled_at -> Nullable<Timestamptz>,
        dispute_id -> Nullable<Uuid>,
    }
}

diesel::table! {
    debt_recoveries (tenant_id, id) {
        tenant_id -> Uuid,
        id -> Uuid,
        debt_id -> Uuid,
        transfer_id -> Uuid,
        amount_minor -> Int8,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    payment_routes (payment_id) {
        payment_id -> Text,
        tenant_id -> Uuid,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    disputes (tenant_id, id) {
        tenant_id -> Uuid,
        id -> Uuid,
        gateway_id -> Text,
        checkout_id -> Uuid,
        payment_id -> Text,
        charge_id -> Nullable<Text>,
        amount_minor -> Int8,
        currency -> Text,
        reason -> Text,
        status -> Text,
        evidence_due_by -> Nullable<Timestamptz>,
        state_at -> Int8,
        withdrawn_minor -> Int8,
        fee_minor -> Int8,
        withdrawn_at -> Nullable<Timestamptz>,
        reinstated_minor -> Int8,
        fee_returned_minor -> Int8,
        reinstated_at -> Nullable<Timestamptz>,
        evidence -> Jsonb,
        evidence_submitted_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    dispute_shares (tenant_id, dispute_id, order_id) {
        tenant_id -> Uuid,
        dispute_id -> Uuid,
        order_id -> Uuid,
        recipient -> Text,
        amount_minor -> Int8,
        fee_minor -> Int8,
    }
}

diesel::table! {
    revoked_tokens (revocation_id) {
        revocation_id -> Text,
        expires_at -> Timestamptz,
        revoked_at -> Timestamptz,
    }
}

diesel::table! {
    user_sessions (tenant_id, revocation_id) {
        tenant_id -> Uuid,
        revocation_id -> Text,
        user_id -> Uuid,
        expires_at -> Timestamptz,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    staff_sessions (revocation_id) {
        revocation_id -> Text,
        staff_id -> Uuid,
        expires_at -> Timestamptz,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    webhook_events (tenant_id, event_id) {
        tenant_id -> Uuid,
        event_id -> Text,
        kind -> Text,
        received_at -> Timestamptz,
    }
}

diesel::table! {
    reconciliation_runs (tenant_id, id) {
        tenant_id -> Uuid,
        id -> Uuid,
        day -> Date,
        status -> Text,
        gateway_checked -> Bool,
        differences -> Int4,
        our_movements -> Int4,
        gateway_movements -> Int4,
        error -> Nullable<Text>,
        started_at -> Timestamptz,
        finished_at -> Timestamptz,
    }
}

diesel::table! {
    reconciliation_differences (tenant_id, run_id, position) {
        tenant_id -> Uuid,
        run_id -> Uuid,
        position -> Int4,
        what -> Text,
        our_ref -> Nullable<Text>,
        gateway_id -> Nullable<Text>,
        our_amount_minor -> Nullable<Int8>,
        their_amount_minor -> Nullable<Int8>,
        currency -> Nullable<Text>,
        detail -> Text,
    }
}

diesel::joinable!(tenant_domains -> tenants (tenant_id));

diesel::allow_tables_to_appear_in_same_query!(tenant_domains, tenants);
diesel::allow_tables_to_appear_in_same_query!(listings, shops);
diesel::allow_tables_to_appear_in_same_query!(shops, users);
diesel::allow_tables_to_appear_in_same_query!(refund_lines, refunds);
diesel::allow_tables_to_appear_in_same_query!(refund_requests, orders);
