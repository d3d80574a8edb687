//! krafto-mail
