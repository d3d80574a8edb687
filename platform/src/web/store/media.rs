//! `GET /media/{key}/{width}.webp`: a stored picture of this marketplace, streamed from the
//! media storage. Keys are content addresses, so an answer never changes: it is cached for
//! a year (`immutable`) and revalidated by its `ETag`. Only the marketplace the host resolved
//! to is looked in: another marketplace's key is a 404 like any unknown one.

use crate::ctx::Ctx;
use poem::http::{StatusCode, header};
use poem::web::Path;
use poem::{Body, IntoResponse, Response, handler};

/// How long browsers and caches may keep a stored picture.
pub(crate) const CACHE_CONTROL: &str = "public, max-age=31536000, immutable";

#[handler]
pub(crate) async fn media_file(
    ctx: Ctx<'_>,
    Path((key, file)): Path<(String, String)>,
) -> Response {
    let Some((key, width)) = krafto_media::parse_public_name(&key, &file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let object = match ctx
        .state
        .media
        .store
        .get_image(ctx.tenant.id, &key, width)
        .await
    {
        Ok(Some(o)) => o,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "a stored picture could not be read");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let not_modified = ctx.req.header(header::IF_NONE_MATCH).is_some_and(|v| {
        v.split(',')
            .any(|t| t.trim() == object.etag || t.trim() == "*")
    });
    let builder = Response::builder()
        .header(header::CACHE_CONTROL, CACHE_CONTROL)
        .header(header::ETAG, object.etag.as_str());
    if not_modified {
        return builder.status(StatusCode::NOT_MODIFIED).finish();
    }
    builder
        .content_type("image/webp")
        .header(header::CONTENT_LENGTH, object.size)
        .body(Body::from_bytes_stream(object.body))
}
