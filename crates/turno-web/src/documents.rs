//! A case's documents over HTTP, for the pages and the API: the uploaded file's name, the
//! upload read as it arrives, and a file answered as a download. Who may attach and why an
//! upload was refused are the application's (`turno_app::documents`).

use axum::body::{Body, Bytes, HttpBody};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use tokio::io::{AsyncRead, ReadBuf};
use tokio::sync::mpsc;
use turno_store::Document;

/// The file's name as the uploader sent it, without a path (old browsers sent the whole path),
/// control characters, or more than `limits::FILE_NAME` characters. Browsers send `"` as `%22`.
pub fn file_name(sent: &str) -> String {
    let base = sent.rsplit(['/', '\\']).next().unwrap_or(sent);
    base.replace("%22", "\"")
        .chars()
        .filter(|c| !c.is_control())
        .take(turno_app::limits::FILE_NAME)
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Where an upload's chunks come from, in order; `None` at the end.
pub trait Chunks: Unpin {
    fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<Option<std::io::Result<Bytes>>>;
}

/// The chunks a task passes on from a form's file part.
impl Chunks for mpsc::Receiver<std::io::Result<Bytes>> {
    fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<Option<std::io::Result<Bytes>>> {
        self.poll_recv(cx)
    }
}

/// A request's body as it arrives (trailers and empty frames are not part of the file).
impl Chunks for Body {
    fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<Option<std::io::Result<Bytes>>> {
        loop {
            match ready!(Pin::new(&mut *self).poll_frame(cx)) {
                Some(Ok(frame)) => {
                    if let Ok(data) = frame.into_data()
                        && !data.is_empty()
                    {
                        return Poll::Ready(Some(Ok(data)));
                    }
                }
                Some(Err(e)) => return Poll::Ready(Some(Err(std::io::Error::other(e)))),
                None => return Poll::Ready(None),
            }
        }
    }
}

/// The next chunk of an upload.
pub async fn next_chunk<C: Chunks>(chunks: &mut C) -> Option<std::io::Result<Bytes>> {
    std::future::poll_fn(|cx| chunks.poll_chunk(cx)).await
}

/// An upload as the store reads it: `first`, then the rest of the chunks. A failure to
/// receive is passed on as an error, so that a cut-off upload is never stored as a shorter
/// file.
pub struct Received<C> {
    chunks: C,
    current: Bytes,
}

impl<C> Received<C> {
    pub fn new(first: Bytes, chunks: C) -> Received<C> {
        Received {
            chunks,
            current: first,
        }
    }
}

impl<C: Chunks> AsyncRead for Received<C> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        if buf.remaining() == 0 {
            return Poll::Ready(Ok(()));
        }
        loop {
            if !self.current.is_empty() {
                let n = self.current.len().min(buf.remaining());
                let taken = self.current.split_to(n);
                buf.put_slice(&taken);
                return Poll::Ready(Ok(()));
            }
            match ready!(self.chunks.poll_chunk(cx)) {
                Some(Ok(chunk)) => self.current = chunk,
                Some(Err(e)) => return Poll::Ready(Err(e)),
                None => return Poll::Ready(Ok(())),
            }
        }
    }
}

/// A document's file as a download: its type, its name, and not kept by shared caches.
pub fn download(
    document: &Document,
    content: Vec<u8>,
) -> Result<Response, header::InvalidHeaderValue> {
    file_response(&document.mime, &document.name, content)
}

/// A scanned oficio kept without its declared type (a suplencia's written delegation, a
/// petition's letter) as a download: a PDF when it starts like one, bytes otherwise.
pub fn scanned_response(name: &str, content: Vec<u8>) -> Result<Response, crate::error::AppError> {
    let mime = if content.starts_with(b"%PDF") {
        "application/pdf"
    } else {
        "application/octet-stream"
    };
    file_response(mime, name, content).map_err(|e| crate::error::AppError::Internal(e.into()))
}

/// A file as a download: its type, its name, and not kept by shared caches.
pub fn file_response(
    mime: &str,
    name: &str,
    content: Vec<u8>,
) -> Result<Response, header::InvalidHeaderValue> {
    let content_type = HeaderValue::from_str(mime)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    let disposition = HeaderValue::from_str(&content_disposition(name))?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, disposition),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            ),
        ],
        content,
    )
        .into_response())
}

/// A table's file for download (a report, a matrix), each kind with its type and its name's
/// extension, so that the pages and the API answer the same file.
pub enum TableFile {
    Csv(Vec<u8>),
    Xlsx(Vec<u8>),
    Pdf(Vec<u8>),
}

impl TableFile {
    /// The file as a download named `name` with its extension.
    pub fn download(self, name: &str) -> Result<Response, header::InvalidHeaderValue> {
        let (mime, extension, content) = match self {
            TableFile::Csv(content) => ("text/csv; charset=utf-8", "csv", content),
            TableFile::Xlsx(content) => (turno_app::report::XLSX, "xlsx", content),
            TableFile::Pdf(content) => ("application/pdf", "pdf", content),
        };
        file_response(mime, &format!("{name}.{extension}"), content)
    }
}

/// `Content-Disposition` of a download: an ASCII `filename` for old clients and the real
/// name in `filename*` (RFC 5987: UTF-8, percent-encoded but for the attribute characters).
pub(crate) fn content_disposition(name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| match c {
            'á' | 'à' | 'ä' | 'â' => 'a',
            'é' | 'è' | 'ë' | 'ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' => 'o',
            'ú' | 'ù' | 'ü' | 'û' => 'u',
            'Á' | 'À' | 'Ä' | 'Â' => 'A',
            'É' | 'È' | 'Ë' | 'Ê' => 'E',
            'Í' | 'Ì' | 'Ï' | 'Î' => 'I',
            'Ó' | 'Ò' | 'Ö' | 'Ô' => 'O',
            'Ú' | 'Ù' | 'Ü' | 'Û' => 'U',
            'ñ' => 'n',
            'Ñ' => 'N',
            c if c == ' ' || (c.is_ascii_graphic() && c != '"' && c != '\\' && c != '%') => c,
            _ => '_',
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

/// A program's evidence file, the form's part `field` named `name`, streamed to the blob store
/// as it arrives (`turno_app::programs::store_evidence` checks its type from its first bytes
/// and stores it): for the page's form and the API's upload alike. `None` when the part is
/// empty.
pub async fn stream_evidence(
    state: &crate::state::AppState,
    field: &mut axum::extract::multipart::Field<'_>,
    name: &str,
) -> Result<Option<turno_store::followup::EvidenceFile>, turno_app::Error> {
    let incomplete = || {
        turno_app::Error::Incomplete("No se recibió el archivo completo. Intente de nuevo.".into())
    };
    let mime = field.content_type().unwrap_or_default().to_owned();
    let Some(first) = field.chunk().await.map_err(|_| incomplete())? else {
        return Ok(None);
    };
    let head = first.clone();
    let (chunks, received) = mpsc::channel(4);
    let (_, stored) = tokio::join!(
        pump(field, chunks),
        turno_app::programs::store_evidence(
            state,
            name,
            &mime,
            &head,
            Received::new(first, received)
        )
    );
    stored.map(Some)
}

/// Sends the file part's chunks (after the first, which the store already has) to the store
/// as they arrive. A failure to read the form is passed on as an error. If the store stops
/// reading (it refused the file), the rest of the part is read and dropped.
pub async fn pump(
    field: &mut axum::extract::multipart::Field<'_>,
    chunks: tokio::sync::mpsc::Sender<std::io::Result<Bytes>>,
) -> Result<(), axum::extract::multipart::MultipartError> {
    let mut chunks = Some(chunks);
    loop {
        let chunk = match field.chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => return Ok(()),
            Err(e) => {
                if let Some(sender) = &chunks {
                    let _ = sender.send(Err(std::io::Error::other(e.body_text()))).await;
                }
                return Err(e);
            }
        };
        if let Some(sender) = &chunks
            && sender.send(Ok(chunk)).await.is_err()
        {
            chunks = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spanish_names_are_encoded_for_the_download() {
        assert_eq!(
            content_disposition("Oficio núm. 7 (año 2026).pdf"),
            "attachment; filename=\"Oficio num. 7 (ano 2026).pdf\"; \
             filename*=UTF-8''Oficio%20n%C3%BAm.%207%20%28a%C3%B1o%202026%29.pdf"
        );
        assert_eq!(
            content_disposition("a\"b\\c;%.pdf"),
            "attachment; filename=\"a_b_c;_.pdf\"; filename*=UTF-8''a%22b%5Cc%3B%25.pdf"
        );
    }

    #[test]
    fn uploaded_names_lose_their_paths_and_controls() {
        assert_eq!(file_name("C:\\Documentos\\oficio.pdf"), "oficio.pdf");
        assert_eq!(file_name("/home/x/informe final.pdf"), "informe final.pdf");
        assert_eq!(file_name("a\u{7}b%22c%22.pdf"), "ab\"c\".pdf");
        assert_eq!(file_name("  "), "");
    }
}
