//! A JSON response rendered once and served many times (cached public data), documented in
//! the OpenAPI spec with the schema of the object it was rendered from.

use poem::{IntoResponse, Response};
use poem_openapi::ApiResponse;
use poem_openapi::registry::{MetaMediaType, MetaResponse, MetaResponses, MetaSchemaRef, Registry};
use poem_openapi::types::ToJSON;
use std::marker::PhantomData;
use std::sync::Arc;

/// The JSON text of a `T`.
#[derive(Debug)]
pub struct Prerendered<T> {
    body: Arc<str>,
    _schema: PhantomData<fn() -> T>,
}

impl<T> Clone for Prerendered<T> {
    fn clone(&self) -> Self {
        Self {
            body: self.body.clone(),
            _schema: PhantomData,
        }
    }
}

impl<T: ToJSON> Prerendered<T> {
    /// Renders `value` the way `Json<T>` would.
    pub fn render(value: &T) -> Self {
        let text = value.to_json_string();
        Self {
            body: text.into(),
            _schema: PhantomData,
        }
    }
}

impl<T: Send + Sync> IntoResponse for Prerendered<T> {
    fn into_response(self) -> Response {
        Response::builder()
            .content_type("application/json; charset=utf-8")
            .body(self.body.as_bytes().to_vec())
    }
}

impl<T: ToJSON + Send + Sync> poem_openapi::payload::Payload for Prerendered<T> {
    const CONTENT_TYPE: &'static str = "application/json; charset=utf-8";

    fn schema_ref() -> MetaSchemaRef {
        T::schema_ref()
    }

    fn register(registry: &mut Registry) {
        T::register(registry);
    }
}

impl<T: ToJSON + Send + Sync> ApiResponse for Prerendered<T> {
    fn meta() -> MetaResponses {
        MetaResponses {
            responses: vec![MetaResponse {
                description: "",
                status: Some(200),
                status_range: None,
                content: vec![MetaMediaType {
                    content_type: "application/json; charset=utf-8",
                    schema: T::schema_ref(),
                }],
                headers: vec![],
            }],
        }
    }

    fn register(registry: &mut Registry) {
        T::register(registry);
    }
}
