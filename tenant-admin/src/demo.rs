//! `tenant-admin demo-seed`: an idempotent demo set-up — a staff account and two
//! marketplaces (handmade and farm), each with an operator.

use crate::{ControlState, operators, provision};
use krafto_api_types::Code;
use krafto_api_types::control::{BrandingInput, CreateTenant, TemplateName};
use krafto_db::models::{Actor, RevokedToken, Staff, StaffSession, Tenant};
use secrecy::SecretString;
use std::collections::BTreeMap;

struct Demo {
    slug: &'static str,
    name: &'static str,
    template: TemplateName,
    locale: &'static str,
    tagline: &'static str,
    operator: &'static str,
}

const DEMOS: &[Demo] = &[
    Demo {
        slug: "lyon",
        name: "Lyon Makers",
        template: TemplateName::Handmade,
        locale: "fr-FR",
        tagline: "Fait main à Lyon, par celles et ceux qui le font",
        operator: "operator@lyon.example",
    },
    Demo {
        slug: "ferme",
        name: "La Ferme du Coin",
        template: TemplateName::Farm,
        locale: "fr-FR",
        tagline: "Des fermes d’ici, frais à chaque jour de marché",
        operator: "operator@ferme.example",
    },
];

/// Creates the staff member or resets their password; returns whether it was created. A
/// password reset ends every session they hold (see [`set_staff_password`]).
pub async fn ensure_staff(
    db: &krafto_db::Db,
    email: &str,
    password: &SecretString,
) -> anyhow::Result<bool> {
    Ok(set_staff_password(db, email, password).await?.created)
}

/// What [`set_staff_password`] did.
#[derive(Debug)]
pub struct StaffSaved {
    pub created: bool,
    /// The sessions a password change revoked (`(revocation id, expiry)`), to announce to
    /// running instances (`krafto_auth::revocation::publish`); they also find them in the
    /// database within `krafto_auth::revocation::REFRESH`.
    pub revoked: Vec<(String, chrono::DateTime<chrono::Utc>)>,
}

/// Creates the staff member, or sets a new password and revokes every session they hold,
/// in one transaction.
pub async fn set_staff_password(
    db: &krafto_db::Db,
    email: &str,
    password: &SecretString,
) -> anyhow::Result<StaffSaved> {
    let email =
        krafto_core::Email::parse(email).map_err(|e| anyhow::anyhow!("staff e-mail: {e}"))?;
    let hash = krafto_auth::hash_password(password)?;
    let mut tx = db.control().await?;
    let (staff, created) = Staff::upsert(&mut tx, email.as_str(), &hash).await?;
    let revoked = StaffSession::end_all(&mut tx, staff.id).await?;
    RevokedToken::insert_many(&mut tx, &revoked).await?;
    tx.commit().await?;
    Ok(StaffSaved { created, revoked })
}

/// Creates what is missing and reports each step as a line of text.
pub async fn seed(
    state: &ControlState,
    staff_email: &str,
    staff_password: &SecretString,
) -> anyhow::Result<Vec<String>> {
    let mut report = Vec::new();
    let created = ensure_staff(&state.db, staff_email, staff_password).await?;
    report.push(format!(
        "staff {staff_email}: {}",
        if created { "created" } else { "password reset" }
    ));
    let actor = Actor {
        kind: "system",
        id: None,
        label: "demo-seed".to_owned(),
    };
    for demo in DEMOS {
        let mut tx = state.db.control().await?;
        let existing = Tenant::find_by_slug(&mut tx, demo.slug).await?;
        tx.commit().await?;
        let tenant = match existing {
            Some(t) => {
                report.push(format!("marketplace {}: already there", demo.slug));
                t
            }
            None => {
                let input = CreateTenant {
                    slug: demo.slug.to_owned().into(),
                    name: demo.name.to_owned().into(),
                    template: demo.template,
                    currency: Some("EUR".to_owned().into()),
                    locale: Some(demo.locale.to_owned().into()),
                    domains: vec![],
                    branding: Some(BrandingInput {
                        tagline: Some(demo.tagline.to_owned().into()),
                        ..BrandingInput::default()
                    }),
                    fees: None,
                    features: BTreeMap::new(),
                };
                let t = provision::create_tenant(state, &actor, &input, None)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                report.push(format!(
                    "marketplace {}: created ({:?})",
                    demo.slug, demo.template
                ));
                t
            }
        };
        match operators::make_operator(state, &actor, tenant.id, demo.operator, None, None).await {
            Ok(_) => report.push(format!(
                "operator {} of {}: created",
                demo.operator, demo.slug
            )),
            Err(e) if e.code == Code::OperatorExists => report.push(format!(
                "operator {} of {}: already there",
                demo.operator, demo.slug
            )),
            Err(e) => return Err(anyhow::anyhow!("{e}")),
        }
    }
    Ok(report)
}
