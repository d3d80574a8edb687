//! The outbox worker against a real Postgres: exclusive claims under concurrent workers,
//! retries with backoff, the dead letter, and no lost message whatever a handler does.

use diesel::QueryableByName;
use diesel::sql_types::{Float8, Text};
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use krafto_core::OutboxStatus;
use krafto_db::models::{NewTenant, OutboxMessage, Tenant};
use krafto_db::{Db, DbRole};
use krafto_jobs::{Handler, JobError, Worker, WorkerConfig};
use krafto_testkit::TestDb;
use std::collections::HashSet;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use uuid::Uuid;

fn new_tenant(slug: &str) -> NewTenant {
    NewTenant {
        id: Uuid::now_v7(),
        slug: slug.to_owned(),
        name: slug.to_owned(),
        template: "handmade".to_owned(),
        currency: "EUR".to_owned(),
        locale: "fr-FR".to_owned(),
        display_name: slug.to_owned(),
        logo_url: None,
        primary_color: "#112233".to_owned(),
        accent_color: "#445566".to_owned(),
        tagline: None,
        seller_commission_bps: 1000,
        platform_fee_bps: 200,
        minimum_order_minor: 0,
        features: serde_json::json!({}),
        refund_platform_fee: false,
    }
}

/// A test database with `slugs` as tenants; returns their ids.
async fn tenants(db: &TestDb, slugs: &[&str]) -> Vec<Uuid> {
    let control = db.pool(DbRole::Control, 1);
    let mut tx = control.control().await.unwrap();
    let mut ids = Vec::new();
    for s in slugs {
        ids.push(Tenant::insert(&mut tx, &new_tenant(s)).await.unwrap().id);
    }
    tx.commit().await.unwrap();
    ids
}

/// Enqueues `n` messages of `kind` for `tenant` the way the platform does.
async fn enqueue(app: &Db, tenant: Uuid, kind: &str, n: usize) -> Vec<Uuid> {
    let scope = krafto_testkit::scope(app, tenant).await;
    let mut tx = app.tenant(&scope).await.unwrap();
    let mut ids = Vec::new();
    for i in 0..n {
        ids.push(
            OutboxMessage::enqueue(&mut tx, kind, serde_json::json!({ "n": i }))
                .await
                .unwrap(),
        );
    }
    tx.commit().await.unwrap();
    ids
}

/// Every message, as the worker role sees it.
async fn outbox(worker_db: &Db) -> Vec<OutboxMessage> {
    use diesel::{QueryDsl, SelectableHelper};
    use krafto_db::schema::outbox;
    let mut tx = worker_db.worker().await.unwrap();
    let rows = tx
        .fetch_all(
            outbox::table
                .select(OutboxMessage::as_select())
                .order(outbox::id),
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    rows
}

async fn message(worker_db: &Db, id: Uuid) -> OutboxMessage {
    outbox(worker_db)
        .await
        .into_iter()
        .find(|m| m.id == id)
        .unwrap()
}

#[derive(QueryableByName)]
struct Secs {
    #[diesel(sql_type = Float8)]
    s: f64,
}

/// Seconds until the message is due, by the database clock.
async fn due_in(worker_db: &Db, id: Uuid) -> f64 {
    let mut tx = worker_db.worker().await.unwrap();
    let r: Secs = tx
        .fetch_one(
            diesel::sql_query(
                "SELECT extract(epoch FROM run_after - now())::float8 AS s FROM outbox WHERE id = $1::uuid",
            )
            .bind::<Text, _>(id.to_string()),
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    r.s
}

/// Makes every pending message due now (instead of sleeping through the backoff).
async fn fast_forward(worker_db: &Db) {
    let mut tx = worker_db.worker().await.unwrap();
    tx.run(diesel::sql_query(
        "UPDATE outbox SET run_after = now() WHERE status = 'pending'",
    ))
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

fn config() -> WorkerConfig {
    WorkerConfig {
        batch_size: 10,
        lease: Duration::from_secs(30),
        poll_interval: Duration::from_millis(20),
        max_attempts: 8,
        backoff_base: Duration::from_secs(2),
        backoff_cap: Duration::from_secs(3600),
        retention: Duration::from_secs(3600),
    }
}

/// Records what it handles, taking a moment for each so claims overlap.
#[derive(Debug, Default)]
struct Recorder {
    seen: Mutex<Vec<(Uuid, Uuid)>>,
}

impl Handler for Recorder {
    fn handle<'a>(&'a self, m: &'a OutboxMessage) -> BoxFuture<'a, Result<(), JobError>> {
        async move {
            tokio::time::sleep(Duration::from_millis(2)).await;
            self.seen.lock().unwrap().push((m.tenant_id, m.id));
            Ok(())
        }
        .boxed()
    }
}

/// Fails its first `failures` calls, then succeeds.
#[derive(Debug)]
struct Flaky {
    failures: AtomicI32,
}

impl Handler for Flaky {
    fn handle<'a>(&'a self, _: &'a OutboxMessage) -> BoxFuture<'a, Result<(), JobError>> {
        async move {
            let left = self.failures.fetch_sub(1, Ordering::SeqCst);
            if left > 0 {
                Err(JobError::retry(format!("backend down ({left} left)")))
            } else {
                Ok(())
            }
        }
        .boxed()
    }
}

#[derive(Debug)]
enum Misbehaves {
    Fails,
    RefusesPayload,
    Panics,
    Hangs,
}

impl Handler for Misbehaves {
    fn handle<'a>(&'a self, _: &'a OutboxMessage) -> BoxFuture<'a, Result<(), JobError>> {
        async move {
            match self {
                Misbehaves::Fails => Err(JobError::retry("backend down")),
                Misbehaves::RefusesPayload => Err(JobError::permanent("payload lacks listing_id")),
                Misbehaves::Panics => panic!("handler bug"),
                Misbehaves::Hangs => {
                    tokio::time::sleep(Duration::from_secs(3600)).await;
                    Ok(())
                }
            }
        }
        .boxed()
    }
}

#[tokio::test]
async fn two_workers_share_the_outbox_and_never_handle_a_message_twice() {
    let db = TestDb::new().await;
    let t = tenants(&db, &["alpha", "beta"]).await;
    let app = db.pool(DbRole::App, 2);
    let mut expected = HashSet::new();
    for tenant in &t {
        for id in enqueue(&app, *tenant, "test.record", 60).await {
            expected.insert((*tenant, id));
        }
    }
    // Not this worker's kind: left alone, not lost.
    let other = enqueue(&app, t[0], "test.other", 1).await[0];
    let recorder = Arc::new(Recorder::default());
    let mut stops = Vec::new();
    let mut runs = Vec::new();
    for _ in 0..2 {
        let w = Worker::new(
            db.pool(DbRole::Worker, 2),
            WorkerConfig {
                batch_size: 7,
                ..config()
            },
        )
        .unwrap()
        .register("test.record", recorder.clone());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        stops.push(stop);
        runs.push(tokio::spawn(async move {
            w.run(async {
                let _ = stopped.await;
            })
            .await;
        }));
    }
    let watcher = db.pool(DbRole::Worker, 1);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let all = outbox(&watcher).await;
        if all
            .iter()
            .filter(|m| m.kind == "test.record")
            .all(|m| m.status == OutboxStatus::Done)
        {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "workers too slow");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    for s in stops {
        s.send(()).unwrap();
    }
    for r in runs {
        tokio::time::timeout(Duration::from_secs(5), r)
            .await
            .expect("a worker stops on shutdown")
            .unwrap();
    }
    let seen = recorder.seen.lock().unwrap().clone();
    let unique: HashSet<(Uuid, Uuid)> = seen.iter().copied().collect();
    assert_eq!(seen.len(), 120, "each message handled once, none twice");
    assert_eq!(unique, expected, "with its own tenant");
    for m in outbox(&watcher).await {
        if m.id == other {
            assert_eq!((m.status, m.attempts), (OutboxStatus::Pending, 0));
        } else {
            assert_eq!(m.status, OutboxStatus::Done);
            assert_eq!(m.attempts, 1);
            assert!(m.processed_at.is_some() && m.locked_until.is_none());
        }
    }
}

#[tokio::test]
async fn a_failing_message_is_retried_with_growing_backoff_and_then_delivered() {
    let db = TestDb::new().await;
    let t = tenants(&db, &["alpha"]).await[0];
    let app = db.pool(DbRole::App, 1);
    let id = enqueue(&app, t, "test.flaky", 1).await[0];
    let watcher = db.pool(DbRole::Worker, 1);
    let w = Worker::new(db.pool(DbRole::Worker, 2), config())
        .unwrap()
        .register(
            "test.flaky",
            Arc::new(Flaky {
                failures: AtomicI32::new(2),
            }),
        );

    let r = w.run_once().await.unwrap();
    assert_eq!((r.claimed, r.retried), (1, 1));
    let m = message(&watcher, id).await;
    assert_eq!((m.status, m.attempts), (OutboxStatus::Pending, 1));
    assert_eq!(m.last_error.as_deref(), Some("backend down (2 left)"));
    assert!(m.locked_until.is_none(), "released for the retry");
    let wait = due_in(&watcher, id).await;
    assert!((1.0..=2.0).contains(&wait), "first retry after 2 s: {wait}");
    assert_eq!(
        w.run_once().await.unwrap().claimed,
        0,
        "not due before its backoff"
    );

    fast_forward(&watcher).await;
    assert_eq!(w.run_once().await.unwrap().retried, 1);
    let wait = due_in(&watcher, id).await;
    assert!(
        (3.0..=4.0).contains(&wait),
        "second retry after 4 s: {wait}"
    );
    assert_eq!(
        message(&watcher, id).await.last_error.as_deref(),
        Some("backend down (1 left)")
    );

    fast_forward(&watcher).await;
    assert_eq!(w.run_once().await.unwrap().done, 1);
    let m = message(&watcher, id).await;
    assert_eq!((m.status, m.attempts), (OutboxStatus::Done, 3));
    assert!(m.processed_at.is_some());
}

#[tokio::test]
async fn a_message_that_keeps_failing_is_parked_as_dead_after_the_limit() {
    let db = TestDb::new().await;
    let t = tenants(&db, &["alpha"]).await[0];
    let app = db.pool(DbRole::App, 1);
    let stubborn = enqueue(&app, t, "test.fails", 1).await[0];
    let malformed = enqueue(&app, t, "test.malformed", 1).await[0];
    let watcher = db.pool(DbRole::Worker, 1);
    let w = Worker::new(
        db.pool(DbRole::Worker, 2),
        WorkerConfig {
            max_attempts: 3,
            ..config()
        },
    )
    .unwrap()
    .register("test.fails", Arc::new(Misbehaves::Fails))
    .register("test.malformed", Arc::new(Misbehaves::RefusesPayload));

    let r = w.run_once().await.unwrap();
    assert_eq!(
        (r.retried, r.dead),
        (1, 1),
        "a permanent error is not retried"
    );
    let m = message(&watcher, malformed).await;
    assert_eq!((m.status, m.attempts), (OutboxStatus::Dead, 1));
    assert_eq!(m.last_error.as_deref(), Some("payload lacks listing_id"));

    for attempt in 2..=3 {
        fast_forward(&watcher).await;
        w.run_once().await.unwrap();
        assert_eq!(message(&watcher, stubborn).await.attempts, attempt);
    }
    let m = message(&watcher, stubborn).await;
    assert_eq!((m.status, m.attempts), (OutboxStatus::Dead, 3));
    assert_eq!(m.last_error.as_deref(), Some("backend down"));
    assert!(m.locked_until.is_none() && m.processed_at.is_none());
    fast_forward(&watcher).await;
    assert_eq!(
        w.run_once().await.unwrap().claimed,
        0,
        "the dead are never claimed again"
    );
}

#[tokio::test]
async fn a_handler_that_fails_panics_or_hangs_never_loses_its_message() {
    let db = TestDb::new().await;
    let t = tenants(&db, &["alpha"]).await[0];
    let app = db.pool(DbRole::App, 1);
    let watcher = db.pool(DbRole::Worker, 1);
    assert!(
        Worker::new(db.pool(DbRole::App, 1), config())
            .unwrap_err()
            .to_string()
            .contains("DbRole::Worker"),
        "a worker on the platform role would see no messages"
    );

    let panics = enqueue(&app, t, "test.panics", 1).await[0];
    let hangs = enqueue(&app, t, "test.hangs", 1).await[0];
    let w = Worker::new(
        db.pool(DbRole::Worker, 2),
        WorkerConfig {
            lease: Duration::from_secs(1),
            ..config()
        },
    )
    .unwrap()
    .register("test.panics", Arc::new(Misbehaves::Panics))
    .register("test.hangs", Arc::new(Misbehaves::Hangs));
    let r = w.run_once().await.unwrap();
    assert_eq!((r.claimed, r.retried), (2, 2));
    let m = message(&watcher, panics).await;
    assert_eq!((m.status, m.attempts), (OutboxStatus::Pending, 1));
    assert!(
        m.last_error.as_deref().unwrap().contains("handler bug"),
        "{m:?}"
    );
    let m = message(&watcher, hangs).await;
    assert_eq!(m.status, OutboxStatus::Pending);
    assert!(
        m.last_error.as_deref().unwrap().contains("timed out"),
        "{m:?}"
    );

    // A worker that claims and dies: the lease runs out and another worker delivers.
    let orphan = enqueue(&app, t, "test.record", 1).await[0];
    let mut tx = watcher.worker().await.unwrap();
    let claimed = OutboxMessage::claim(
        &mut tx,
        &["test.record".to_owned()],
        10,
        Duration::from_secs(1),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(claimed.len(), 1);
    let recorder = Arc::new(Recorder::default());
    let rescuer = Worker::new(db.pool(DbRole::Worker, 2), config())
        .unwrap()
        .register("test.record", recorder.clone());
    assert_eq!(
        rescuer.run_once().await.unwrap().claimed,
        0,
        "leased to the first worker"
    );
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(rescuer.run_once().await.unwrap().done, 1);
    assert_eq!(recorder.seen.lock().unwrap().as_slice(), &[(t, orphan)]);
    // The first worker wakes up late: its claim is stale and changes nothing.
    let mut tx = watcher.worker().await.unwrap();
    assert!(
        !OutboxMessage::bury(&mut tx, t, orphan, claimed[0].attempts, "late")
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();
    let m = message(&watcher, orphan).await;
    assert_eq!((m.status, m.attempts), (OutboxStatus::Done, 2));
}

#[tokio::test]
async fn delivered_messages_are_pruned_after_the_retention_and_nothing_else_is() {
    let db = TestDb::new().await;
    let [t] = tenants(&db, &["prune"]).await[..] else {
        panic!("one tenant")
    };
    let app = db.pool(DbRole::App, 1);
    let ids = enqueue(&app, t, "test.prune", 3).await;
    let mut conn = db.superuser().await;
    // One old delivery, one fresh delivery, one still pending.
    diesel_async::SimpleAsyncConnection::batch_execute(
        &mut conn,
        &format!(
            "UPDATE outbox SET status = 'done', processed_at = now() - interval '2 hours' WHERE id = '{}'; \
             UPDATE outbox SET status = 'done', processed_at = now() WHERE id = '{}'",
            ids[0], ids[1]
        ),
    )
    .await
    .unwrap();
    let worker = Worker::new(db.pool(DbRole::Worker, 1), config()).unwrap();
    assert_eq!(worker.prune().await.unwrap(), 1);
    let left: Vec<Uuid> = outbox(&db.pool(DbRole::Worker, 1))
        .await
        .into_iter()
        .map(|m| m.id)
        .collect();
    assert!(!left.contains(&ids[0]), "the old delivery is gone");
    assert!(
        left.contains(&ids[1]) && left.contains(&ids[2]),
        "the fresh delivery and the pending message stay"
    );
    assert_eq!(worker.prune().await.unwrap(), 0);
}
