use super::*;

/// A user of a marketplace with a session token minted by the app's keys.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub user: User,
    /// A bearer token (or `krafto_session` cookie value) for the marketplace's host.
    pub token: String,
}

impl TestUser {
    pub fn id(&self) -> Uuid {
        self.user.id
    }

    pub(super) fn signed_in(app: &TestApp, user: User) -> Self {
        let role = Role::parse(&user.role).expect("a stored role");
        let (token, _) = app
            .keys
            .mint_user(
                UserClaims {
                    tenant_id: user.tenant_id,
                    user_id: user.id,
                    role,
                },
                Utc::now(),
            )
            .expect("a session token");
        Self { user, token }
    }
}

/// A signed-in user: `UserBuilder::new(&lyon, "ana@example.com").seller().build(&app)`.
#[derive(Debug, Clone)]
pub struct UserBuilder<'a> {
    market: &'a TestMarket,
    email: String,
    role: Role,
}

impl<'a> UserBuilder<'a> {
    /// A buyer, as a first sign-in makes one.
    pub fn new(market: &'a TestMarket, email: &str) -> Self {
        Self {
            market,
            email: email.to_owned(),
            role: Role::Buyer,
        }
    }

    pub fn role(mut self, role: Role) -> Self {
        self.role = role;
        self
    }

    pub fn buyer(self) -> Self {
        self.role(Role::Buyer)
    }

    /// A seller (with no shop yet: see [`ShopBuilder`]).
    pub fn seller(self) -> Self {
        self.role(Role::Seller)
    }

    pub fn operator(self) -> Self {
        self.role(Role::Operator)
    }

    pub async fn build(self, app: &TestApp) -> TestUser {
        let email = Email::parse(&self.email).expect("a valid e-mail address");
        let db = app_pool(app);
        let mut tx = tenant_tx(&db, &self.market.tenant).await;
        let user = match self.role {
            Role::Operator => {
                User::make_operator(&mut tx, email.as_str(), None)
                    .await
                    .expect("make an operator")
                    .0
            }
            Role::Buyer | Role::Seller => {
                let (user, _) = User::sign_in(&mut tx, email.as_str())
                    .await
                    .expect("create the account");
                if self.role == Role::Seller {
                    User::become_seller(&mut tx, user.id)
                        .await
                        .expect("make a seller")
                } else {
                    user
                }
            }
        };
        let signed_in = TestUser::signed_in(app, user);
        // Remembered as the user's session, as sign-in does, so removing them ends it.
        let revocation_id = app.keys.revocation_id(&signed_in.token).expect("a token");
        krafto_db::models::UserSession::record(
            &mut tx,
            &revocation_id,
            signed_in.user.id,
            Utc::now() + krafto_auth::USER_TOKEN_TTL,
        )
        .await
        .expect("record the session");
        tx.commit().await.expect("commit");
        signed_in
    }
}
