//! The OpenAPI document a server publishes: poem-openapi's, with what it leaves out.
//!
//! poem-openapi reads `null` as "absent" for every optional property (`Option<T>`) and as
//! "clear it" for `MaybeUndefined<T>`, but documents neither property as nullable, so a
//! client reading the document would think `null` is refused. [`document`] marks every
//! optional property `nullable` (OpenAPI 3.0), which is what the servers accept.

use poem::{Endpoint, Response, http::header};
use serde_json::{Map, Value, json};

/// Post-processes a document from `OpenApiService::spec()`.
pub fn document(spec: &str) -> String {
    let Ok(mut doc) = serde_json::from_str::<Value>(spec) else {
        return spec.to_owned();
    };
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for schema in schemas.values_mut() {
            mark_optional_nullable(schema);
        }
    }
    serde_json::to_string_pretty(&doc).unwrap_or_else(|_| spec.to_owned())
}

fn mark_optional_nullable(schema: &mut Value) {
    let Some(obj) = schema.as_object_mut() else {
        return;
    };
    let required: Vec<String> = obj
        .get("required")
        .and_then(Value::as_array)
        .map(|r| {
            r.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let Some(props) = obj.get_mut("properties").and_then(Value::as_object_mut) else {
        return;
    };
    for (name, prop) in props.iter_mut() {
        if required.contains(name) {
            continue;
        }
        nullable(prop);
    }
}

fn nullable(prop: &mut Value) {
    let Some(p) = prop.as_object_mut() else {
        return;
    };
    if p.contains_key("$ref") {
        // In OpenAPI 3.0 a `$ref` ignores its siblings: wrap it.
        let mut wrapped = Map::new();
        let reference = p.remove("$ref").unwrap_or(Value::Null);
        wrapped.insert("allOf".to_owned(), json!([{ "$ref": reference }]));
        for (k, v) in std::mem::take(p) {
            wrapped.insert(k, v);
        }
        wrapped.insert("nullable".to_owned(), Value::Bool(true));
        *p = wrapped;
    } else {
        p.insert("nullable".to_owned(), Value::Bool(true));
    }
}

/// Serves a published document (`/openapi.json`).
pub fn document_endpoint(doc: String) -> impl Endpoint<Output = Response> {
    poem::endpoint::make_sync(move |_| {
        Response::builder()
            .header(header::CONTENT_TYPE, "application/json; charset=utf-8")
            .body(doc.clone())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optional_properties_become_nullable_and_required_ones_do_not() {
        let spec = json!({
            "components": { "schemas": { "Patch": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": { "type": "string" },
                    "logo_url": { "type": "string" },
                    "branding": { "$ref": "#/components/schemas/Branding", "description": "x" }
                }
            }}}
        })
        .to_string();
        let doc: Value = serde_json::from_str(&document(&spec)).unwrap();
        let props = &doc["components"]["schemas"]["Patch"]["properties"];
        assert_eq!(props["id"], json!({ "type": "string" }));
        assert_eq!(props["logo_url"]["nullable"], true);
        assert_eq!(
            props["branding"],
            json!({ "allOf": [{ "$ref": "#/components/schemas/Branding" }], "description": "x", "nullable": true })
        );
    }
}
