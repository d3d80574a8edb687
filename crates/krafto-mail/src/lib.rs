//! Outgoing e-mail: a mail directory for development and tests (one readable file per
//! message), or SMTP through lettre in production.
//!
//! Message bodies may carry sign-in codes: this module must never log a body.

use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;

/// One plain-text message.
#[derive(Debug, Clone, Default)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub body: String,
    /// The sender's name people see (the marketplace's, never Krafto's unless it is one);
    /// the address stays the deployment's `KRAFTO_MAIL_FROM`.
    pub from_name: Option<String>,
    /// Where replies go (the marketplace's support address).
    pub reply_to: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error(
        "no mail transport configured: set KRAFTO_MAIL_DIR (a folder) or SMTP_URL (smtp://, smtps://)"
    )]
    NotConfigured,
    #[error("invalid mail configuration: {0}")]
    Config(String),
    #[error("invalid address `{0}`")]
    Address(String),
    #[error("could not deliver the message: {0}")]
    Delivery(String),
}

/// Where mail goes.
#[derive(Clone)]
pub enum Mailer {
    /// Writes each message as `<time>-<id>.eml` with `To:`/`Subject:` headers and the body.
    Dir { dir: PathBuf, from: String },
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Mailer::Dir { dir, .. } => f.debug_struct("Mailer::Dir").field("dir", dir).finish(),
            Mailer::Smtp { .. } => f.write_str("Mailer::Smtp"),
        }
    }
}

impl Mailer {
    /// From the environment values `KRAFTO_MAIL_DIR`, `SMTP_URL` and `KRAFTO_MAIL_FROM`
    /// (the directory wins when both are set).
    pub fn from_settings(
        dir: Option<PathBuf>,
        smtp_url: Option<&str>,
        from: &str,
    ) -> Result<Self, MailError> {
        if let Some(dir) = dir {
            std::fs::create_dir_all(&dir).map_err(|e| {
                MailError::Config(format!("KRAFTO_MAIL_DIR {}: {e}", dir.display()))
            })?;
            return Ok(Mailer::Dir {
                dir,
                from: from.to_owned(),
            });
        }
        let url = smtp_url.ok_or(MailError::NotConfigured)?;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| MailError::Config(format!("SMTP_URL: {e}")))?
            .build();
        let from = from.parse::<Mailbox>().map_err(|_| {
            MailError::Config(format!("KRAFTO_MAIL_FROM `{from}` is not an address"))
        })?;
        Ok(Mailer::Smtp { transport, from })
    }

    pub async fn send(&self, email: &Email) -> Result<(), MailError> {
        // Header values are one line whatever the caller passed: a line break in a subject
        // (a marketplace's name, say) must never start a header of its own.
        let to = header_line(&email.to);
        let subject = header_line(&email.subject);
        match self {
            Mailer::Dir { dir, from } => {
                let from = match (&email.from_name, from.parse::<Mailbox>()) {
                    (Some(n), Ok(m)) => Mailbox::new(Some(header_line(n)), m.email).to_string(),
                    _ => from.clone(),
                };
                let reply_to = email
                    .reply_to
                    .as_deref()
                    .map(|r| format!("Reply-To: {}\n", header_line(r)))
                    .unwrap_or_default();
                let name = format!(
                    "{}-{}.eml",
                    chrono::Utc::now().format("%Y%m%dT%H%M%S%.6f"),
                    uuid::Uuid::new_v4().simple()
                );
                let text = format!(
                    "From: {}\n{reply_to}To: {to}\nSubject: {subject}\nContent-Type: text/plain; charset=utf-8\n\n{}\n",
                    header_line(&from),
                    email.body
                );
                // Write then rename, so a reader never sees half a message.
                let tmp = dir.join(format!(".{name}.tmp"));
                tokio::fs::write(&tmp, text)
                    .await
                    .map_err(|e| MailError::Delivery(e.to_string()))?;
                tokio::fs::rename(&tmp, dir.join(&name))
                    .await
                    .map_err(|e| MailError::Delivery(e.to_string()))?;
                Ok(())
            }
            Mailer::Smtp { transport, from } => {
                let to = to
                    .parse::<Mailbox>()
                    .map_err(|_| MailError::Address(to.clone()))?;
                let from = match &email.from_name {
                    Some(n) => Mailbox::new(Some(header_line(n)), from.email.clone()),
                    None => from.clone(),
                };
                let mut message = Message::builder().from(from).to(to);
                if let Some(r) = &email.reply_to {
                    let r = header_line(r);
                    message = message.reply_to(
                        r.parse::<Mailbox>()
                            .map_err(|_| MailError::Address(r.clone()))?,
                    );
                }
                let message = message
                    .subject(subject)
                    .header(ContentType::TEXT_PLAIN)
                    .body(email.body.clone())
                    .map_err(|e| MailError::Delivery(e.to_string()))?;
                transport
                    .send(message)
                    .await
                    .map_err(|e| MailError::Delivery(e.to_string()))?;
                Ok(())
            }
        }
    }
}

/// `value` on one line: every control character (CR and LF among them) becomes a space.
fn header_line(value: &str) -> String {
    value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_line_break_in_a_subject_or_address_never_starts_a_header() {
        let dir = std::env::temp_dir().join(format!("krafto-mail-crlf-{}", uuid::Uuid::new_v4()));
        let mailer =
            Mailer::from_settings(Some(dir.clone()), None, "Krafto <a@b.example>").unwrap();
        mailer
            .send(&Email {
                to: "ana@example.com\r\nCc: everyone@example.com".to_owned(),
                subject: "Lyon\r\nBcc: everyone@example.com\nX-Evil: 1".to_owned(),
                body: "Bonjour".to_owned(),
                ..Email::default()
            })
            .await
            .unwrap();
        let file = std::fs::read_dir(&dir)
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        let text = std::fs::read_to_string(file).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        let (head, _) = text.split_once("\n\n").unwrap();
        let names: Vec<&str> = head
            .lines()
            .filter_map(|l| l.split_once(':'))
            .map(|(k, _)| k)
            .collect();
        assert_eq!(names, ["From", "To", "Subject", "Content-Type"], "{head}");
        assert!(
            head.contains("Subject: Lyon  Bcc: everyone@example.com X-Evil: 1"),
            "{head}"
        );
    }

    #[tokio::test]
    async fn the_mail_dir_gets_one_readable_file_per_message() {
        let dir = std::env::temp_dir().join(format!("krafto-mail-{}", uuid::Uuid::new_v4()));
        let mailer =
            Mailer::from_settings(Some(dir.clone()), None, "Krafto <no-reply@krafto.example>")
                .unwrap();
        mailer
            .send(&Email {
                to: "ana@example.com".into(),
                subject: "Hello".into(),
                body: "Your code is 123456".into(),
                from_name: Some("Lyon Artisans\r\nBcc: x@y.example".into()),
                reply_to: Some("aide@lyon.example".into()),
            })
            .await
            .unwrap();
        let files: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().collect();
        assert_eq!(files.len(), 1);
        let text = std::fs::read_to_string(files[0].path()).unwrap();
        assert!(text.contains("To: ana@example.com"));
        assert!(
            text.contains("From: \"Lyon Artisans  Bcc: x@y.example\" <no-reply@krafto.example>"),
            "the marketplace's name on the deployment's address, on one line: {text}"
        );
        assert!(text.contains("Reply-To: aide@lyon.example"), "{text}");
        assert!(text.contains("Subject: Hello"));
        assert!(text.contains("Your code is 123456"));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn without_dir_or_smtp_the_error_names_both_settings() {
        let err = Mailer::from_settings(None, None, "a@b.c").unwrap_err();
        assert!(err.to_string().contains("KRAFTO_MAIL_DIR"));
        assert!(err.to_string().contains("SMTP_URL"));
    }
}
