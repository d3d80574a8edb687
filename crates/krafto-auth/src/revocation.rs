//! Revoked tokens: sign-out, removing an operator or a staff member, and a password change
//! end sessions on every instance.
//!
//! A revocation is keyed by the token's revocation id (biscuit-auth's
//! `revocation_identifiers`, hex) and kept until the token would have expired anyway. It is
//! persisted in Postgres (`revoked_tokens`, a control-plane table: it survives restarts and
//! reaches instances that missed a message), announced on Redis pub/sub when `REDIS_URL` is
//! set, and checked on every authenticated request against this instance's in-memory
//! [`RevocationList`], never against the database. Each instance also re-reads recent
//! revocations from the database, every [`REFRESH`] with Redis (in case a message was lost)
//! and every [`REFRESH_WITHOUT_REDIS`] without it (the only way a revocation made by another
//! process, e.g. the control plane removing an operator, arrives then).

use chrono::{DateTime, Utc};
use fred::clients::SubscriberClient;
use fred::prelude::*;
use krafto_db::models::RevokedToken;
use krafto_db::{Db, DbError};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// How often every instance re-reads the revocations made lately, with Redis.
pub const REFRESH: Duration = Duration::from_secs(30);
/// How often without Redis (as long as a tenant stays cached without Redis).
pub const REFRESH_WITHOUT_REDIS: Duration = Duration::from_secs(5);

/// The revoked tokens this instance knows of: revocation id → expiry (unix seconds).
#[derive(Clone, Default)]
pub struct RevocationList {
    ids: Arc<RwLock<HashMap<String, i64>>>,
}

impl std::fmt::Debug for RevocationList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RevocationList")
            .field("revoked", &self.ids.read().map(|m| m.len()).unwrap_or(0))
            .finish()
    }
}

impl RevocationList {
    /// Whether any of a token's revocation ids is revoked.
    pub fn contains_any(&self, ids: &[String]) -> bool {
        let Ok(map) = self.ids.read() else {
            // A poisoned lock must not open the door: refuse.
            return true;
        };
        !map.is_empty() && ids.iter().any(|id| map.contains_key(id))
    }

    /// Adds revocations (`(id, expiry in unix seconds)`) and forgets expired ones.
    pub fn insert(&self, tokens: impl IntoIterator<Item = (String, i64)>) {
        let now = Utc::now().timestamp();
        if let Ok(mut map) = self.ids.write() {
            for (id, expires) in tokens {
                if expires > now {
                    map.insert(id, expires);
                }
            }
            map.retain(|_, expires| *expires > now);
        }
    }
}

/// One revocation as announced on Redis.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct Announced {
    id: String,
    expires: i64,
}

/// Revokes tokens and keeps this instance's [`RevocationList`] in step with every other's;
/// cheap to clone.
#[derive(Clone)]
pub struct Revocations {
    list: RevocationList,
    db: Db,
    redis: Option<Client>,
    channel: Arc<str>,
    /// The subscription that feeds `list` (kept alive with it).
    _subscriber: Option<SubscriberClient>,
}

impl std::fmt::Debug for Revocations {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Revocations")
            .field("list", &self.list)
            .field("redis", &self.redis.is_some())
            .finish()
    }
}

/// Why revocations could not start.
#[derive(Debug, thiserror::Error)]
pub enum RevocationError {
    #[error("cannot read revoked tokens: {0}")]
    Db(#[from] DbError),
    #[error("cannot reach Redis for revocations: {0}")]
    Redis(#[from] fred::error::Error),
}

impl Revocations {
    /// Loads the unexpired revocations, subscribes to new ones on Redis (channel
    /// `{prefix}:revocations`) when `redis_url` is given, and re-reads recent ones every
    /// [`REFRESH`].
    pub async fn start(
        db: Db,
        redis_url: Option<&str>,
        prefix: &str,
    ) -> Result<Self, RevocationError> {
        let list = RevocationList::default();
        load(&db, &list, None).await?;
        let channel: Arc<str> = format!("{prefix}:revocations").into();
        let (redis, subscriber) = match redis_url {
            Some(url) => {
                let config = Config::from_url(url)?;
                let mut builder = Builder::from_config(config);
                builder.set_policy(ReconnectPolicy::new_exponential(0, 100, 5_000, 2));
                builder.with_connection_config(|c| c.connection_timeout = Duration::from_secs(5));
                let client = builder.build()?;
                client.init().await?;
                let subscriber = builder.build_subscriber_client()?;
                subscriber.init().await?;
                subscriber.manage_subscriptions();
                listen(&subscriber, &channel, &list, &db).await?;
                (Some(client), Some(subscriber))
            }
            None => (None, None),
        };
        let (refresh_db, refresh_list) = (db.clone(), list.clone());
        let every = if redis.is_some() {
            REFRESH
        } else {
            REFRESH_WITHOUT_REDIS
        };
        tokio::spawn(async move {
            let mut last = Utc::now();
            loop {
                tokio::time::sleep(every).await;
                let now = Utc::now();
                // Overlap the previous read: a revocation committed late keeps its earlier
                // `revoked_at`.
                let since = last - chrono::Duration::seconds(120);
                match load(&refresh_db, &refresh_list, Some(since)).await {
                    Ok(()) => last = now,
                    Err(e) => tracing::warn!(error = %e, "could not refresh revoked tokens"),
                }
            }
        });
        Ok(Self {
            list,
            db,
            redis,
            channel,
            _subscriber: subscriber,
        })
    }

    /// The list every authenticated request is checked against.
    pub fn list(&self) -> &RevocationList {
        &self.list
    }

    /// Revokes tokens (`(revocation id, expiry)`) in a transaction of its own, then
    /// announces them.
    pub async fn revoke(&self, tokens: &[(String, DateTime<Utc>)]) -> Result<(), DbError> {
        let mut tx = self.db.control().await?;
        RevokedToken::insert_many(&mut tx, tokens).await?;
        tx.commit().await?;
        self.announce(tokens).await;
        Ok(())
    }

    /// Applies revocations already committed (by a caller's transaction) here, and tells
    /// every other instance. Publishing failures are logged: the periodic refresh still
    /// brings the revocation everywhere.
    pub async fn announce(&self, tokens: &[(String, DateTime<Utc>)]) {
        if tokens.is_empty() {
            return;
        }
        self.list.insert(
            tokens
                .iter()
                .map(|(id, expires)| (id.clone(), expires.timestamp())),
        );
        let Some(redis) = &self.redis else { return };
        let published = tokio::time::timeout(
            Duration::from_secs(2),
            redis.publish::<i64, _, _>(&*self.channel, message(tokens)),
        )
        .await;
        match published {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => tracing::warn!(error = %e, "could not announce revoked tokens"),
            Err(_) => tracing::warn!("could not announce revoked tokens: Redis did not answer"),
        }
    }
}

/// Announces revocations already committed to the instances listening on Redis at
/// `redis_url` (for commands run outside a server, such as `tenant-admin staff remove`).
pub async fn publish(
    redis_url: &str,
    prefix: &str,
    tokens: &[(String, DateTime<Utc>)],
) -> Result<(), fred::error::Error> {
    if tokens.is_empty() {
        return Ok(());
    }
    let client = Builder::from_config(Config::from_url(redis_url)?).build()?;
    client.init().await?;
    let published = client
        .publish::<i64, _, _>(format!("{prefix}:revocations"), message(tokens))
        .await;
    let _ = client.quit().await;
    published.map(|_| ())
}

fn message(tokens: &[(String, DateTime<Utc>)]) -> String {
    let message: Vec<Announced> = tokens
        .iter()
        .map(|(id, expires)| Announced {
            id: id.clone(),
            expires: expires.timestamp(),
        })
        .collect();
    serde_json::to_string(&message).unwrap_or_default()
}

/// Reads unexpired revocations (made since `since`, or all) into `list`.
async fn load(db: &Db, list: &RevocationList, since: Option<DateTime<Utc>>) -> Result<(), DbError> {
    let mut tx = db.control().await?;
    let rows = RevokedToken::unexpired_since(&mut tx, since).await?;
    tx.commit().await?;
    list.insert(
        rows.into_iter()
            .map(|r| (r.revocation_id, r.expires_at.timestamp())),
    );
    Ok(())
}

/// Applies announced revocations to `list`; after a reconnect (messages may have been
/// missed) re-reads them all.
async fn listen(
    subscriber: &SubscriberClient,
    channel: &str,
    list: &RevocationList,
    db: &Db,
) -> Result<(), fred::error::Error> {
    let mut messages = subscriber.message_rx();
    let mut reconnects = subscriber.reconnect_rx();
    subscriber.subscribe(channel).await?;
    let (on_message, channel_name) = (list.clone(), channel.to_owned());
    tokio::spawn(async move {
        while let Ok(message) = messages.recv().await {
            if message.channel != channel_name.as_str() {
                continue;
            }
            let Some(text) = message.value.as_str() else {
                continue;
            };
            match serde_json::from_str::<Vec<Announced>>(&text) {
                Ok(tokens) => on_message.insert(tokens.into_iter().map(|t| (t.id, t.expires))),
                Err(e) => tracing::warn!(error = %e, "ignoring a malformed revocation message"),
            }
        }
    });
    let (on_reconnect, db) = (list.clone(), db.clone());
    tokio::spawn(async move {
        while reconnects.recv().await.is_ok() {
            if let Err(e) = load(&db, &on_reconnect, None).await {
                tracing::warn!(error = %e, "could not re-read revoked tokens after a reconnect");
            }
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_refuses_a_revoked_id_until_its_token_would_have_expired() {
        let list = RevocationList::default();
        let later = Utc::now().timestamp() + 60;
        assert!(!list.contains_any(&["aa".to_owned()]));
        list.insert([
            ("aa".to_owned(), later),
            ("bb".to_owned(), Utc::now().timestamp() - 1),
        ]);
        assert!(list.contains_any(&["cc".to_owned(), "aa".to_owned()]));
        assert!(
            !list.contains_any(&["bb".to_owned()]),
            "an expired token needs no revocation"
        );
    }
}
