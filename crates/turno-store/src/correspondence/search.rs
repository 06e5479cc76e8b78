//! Searching the correspondence (migration 0030): incoming and outgoing documents found by the
//! words of their number, folio, subject, summary or body and sender, with each database's own
//! full-text search (PostgreSQL: a generated `tsvector` of the texts through `unaccent` under a
//! GIN index; SQLite: FTS5 with `unicode61 remove_diacritics 2`), so that accents and case do not
//! matter, and within dates. The last word matches as a prefix (what is still being typed).
//!
//! The store decides nothing about who sees what: the application passes the units whose
//! documents the person sees ([`Seen`]) and the units whose classified texts they may read
//! ([`SearchScope::reads`]); a classified document whose texts they may not read is never
//! found by its words, only by its dates, and is answered with `readable: false`.
//!
//! Statements are built here once for both backends, every value bound; what differs (the
//! text match, a bound list) is [`SearchDialect`]'s.

use crate::error::StoreError;
use crate::{PgStore, SqliteStore};
use turno_domain::correspondence::{Classification, IncomingFolio, Stage, TurnStatus};

/// At most this many words of a search are used.
pub const MAX_WORDS: usize = 8;

/// A search counts its documents up to this many (ten pages of 20): counting every one of a
/// word found in half of a million documents would read half a million rows, and nobody pages
/// past it; beyond it the count says «more than» (`FoundPage::more`). What a count costs grows
/// with the cap: the documents read newest first until the cap's are found are the cap's
/// share of the matches (BENCHMARKS.md: 1,000 took PostgreSQL 0.8–0.9 s for two middling words
/// a unit's person searched, 200 took 60–80 ms).
pub const COUNT_CAP: u64 = 200;

/// Whose documents a person sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seen {
    /// Every unit's (administrators).
    All,
    /// Those of these units (registered by, turned to, issued by or dispatched to them) and
    /// those where the login is a reviewer.
    Units(Vec<String>),
}

/// What the application allows one person to find.
#[derive(Debug, Clone)]
pub struct SearchScope {
    pub seen: Seen,
    /// The units whose classified (reservada, confidencial) incoming documents' texts the
    /// person reads: the units they are a member of.
    pub reads: Vec<String>,
    /// The person's login: an outgoing document they review is theirs to see.
    pub login: String,
}

/// A search of the correspondence.
#[derive(Debug, Clone)]
pub struct CorrespondenceSearch {
    /// The words, each a run of letters and digits; the last matches as a prefix. Empty: no
    /// text condition.
    pub words: Vec<String>,
    /// Incoming documents received from this local date and time on…
    pub received_from: Option<jiff::civil::DateTime>,
    /// …and before this one (both to the second: a fraction is left out).
    pub received_before: Option<jiff::civil::DateTime>,
    /// Outgoing documents signed from this instant on…
    pub signed_from: Option<jiff::Timestamp>,
    /// …and before this one.
    pub signed_before: Option<jiff::Timestamp>,
    pub scope: SearchScope,
    pub limit: u32,
    pub offset: u64,
}

/// Which document was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoundKey {
    Incoming(IncomingFolio),
    Outgoing(i64),
}

/// Where an incoming document stands: by its turns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoundState {
    /// Not turned yet.
    NotTurned,
    /// At least one turn open.
    Open,
    /// Every turn closed.
    Closed,
    /// An outgoing document's stage.
    Stage(Stage),
}

/// A document found, with what a results list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub key: FoundKey,
    /// Their number (incoming) or ours (outgoing, once signed).
    pub number: Option<String>,
    pub subject: String,
    /// Incoming: who signs it, their position and body; outgoing: the issuing unit's name and
    /// code (position empty).
    pub sender_name: String,
    pub sender_position: String,
    pub sender_organization: String,
    /// Received (incoming, local) or signed, else drafted (outgoing, UTC): as stored.
    pub at: String,
    pub classification: Classification,
    pub state: FoundState,
    /// Whether the person may read its texts; false only for a classified document found by
    /// its dates.
    pub readable: bool,
}

/// One page of what a search found, and how many there are in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundPage {
    /// How many documents match, up to [`COUNT_CAP`].
    pub total: u64,
    /// Whether more than [`COUNT_CAP`] match.
    pub more: bool,
    pub found: Vec<Found>,
}

store_trait! {
    /// Finding incoming and outgoing documents.
    pub trait CorrespondenceFinder {
        /// The documents the scope lets the person find that match, newest first (received,
        /// or signed, else drafted, to the second; then incoming before outgoing, and the folio
        /// or id newest first), one page, with their count up to [`COUNT_CAP`].
        async fn search_correspondence(
            &self,
            search: &CorrespondenceSearch,
        ) -> Result<FoundPage, StoreError>;
    }
}

/// A value bound to a statement.
#[derive(Debug, Clone)]
enum Param {
    Text(String),
    Texts(Vec<String>),
    Int(i64),
}

/// A statement being built: its text and its values, `$1`… in order.
#[derive(Debug, Default)]
struct Statement {
    sql: String,
    params: Vec<Param>,
}

impl Statement {
    fn bind(&mut self, param: Param) -> String {
        self.params.push(param);
        format!("${}", self.params.len())
    }
}

/// What the backends write differently.
trait SearchDialect {
    /// Said first in the search's read transaction.
    const PREAMBLE: &'static [&'static str];
    /// Ends the subquery of a correlated `EXISTS` on an incoming document's turns, so that it
    /// is asked document by document.
    const PROBED: &'static str;
    /// How the incoming documents `d` that match the words (every one without words) and were
    /// received within `received`, to the second, are read newest first (the second received,
    /// then the folio) without sorting them all. The range is a range of that order, and the
    /// only condition on the dates (PostgreSQL's planner would count a second one, the same,
    /// as narrowing again).
    fn incoming_from(
        statement: &mut Statement,
        words: &[String],
        received: &Received,
    ) -> IncomingRead;
    fn outgoing_from(statement: &mut Statement, words: &[String]) -> (String, String);
    /// `expression` is one of `list`.
    fn one_of(statement: &mut Statement, expression: &str, list: &[String]) -> String;
}

/// How a backend reads the incoming documents `d` of a search: `SELECT … FROM {from} WHERE
/// {condition} AND (the scope's conditions) ORDER BY {order} LIMIT (what is needed)`, in an
/// index's order so that the reading stops at the limit; and maybe a cheaper reading tried
/// first.
struct IncomingRead {
    from: String,
    condition: String,
    order: String,
    first: Option<First>,
}

/// A reading tried first, with the same condition: what it finds is the answer when it finds
/// as many as are needed (the newest documents, where every match newer than the last one
/// found was read); else the answer is the whole reading's.
struct First {
    from: String,
    order: String,
}

/// How many of the newest documents (within the received range) PostgreSQL reads first, each
/// checked against the words, before it reads a search's words bucket by bucket (migration
/// 0051): enough for the 201 newest of a common word (found in a tenth of the documents or
/// more, or in a third of those a unit's person sees), whose bucket's matches would be
/// thousands; for the others a few milliseconds lost (BENCHMARKS.md).
const FIRST_READ: u32 = 2000;

/// FTS5's query: each word quoted (a word is letters and digits, so it holds no quote), the
/// last one a prefix; the tokenizer folds them as it folded the texts.
fn fts5_query(words: &[String]) -> String {
    let mut query = String::new();
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            query.push(' ');
        }
        query.push('"');
        query.push_str(&word.replace('"', ""));
        query.push('"');
        if i + 1 == words.len() {
            query.push('*');
        }
    }
    query
}

/// One second of the received date and time in SQLite's `search_key` (migration 0038): 2^27,
/// the folio below it.
const SEARCH_KEY_SECOND: &str = "134217728";

impl SearchDialect for SqliteStore {
    const PREAMBLE: &'static [&'static str] = &[];
    const PROBED: &'static str = "";

    /// Both ways read the key of migration 0038 (`search_key`, the FTS5 index's rowid)
    /// backwards, the received range a range of it.
    fn incoming_from(
        statement: &mut Statement,
        words: &[String],
        received: &Received,
    ) -> IncomingRead {
        let key = if words.is_empty() {
            "d.search_key"
        } else {
            "rowid"
        };
        let second = |p: String| format!("CAST(strftime('%s', {p}) AS INTEGER)");
        let mut range = Vec::new();
        if let Some(at) = &received.from {
            let p = statement.bind(Param::Text(at.clone()));
            range.push(format!("{key} >= {} * {SEARCH_KEY_SECOND}", second(p)));
        }
        if let Some(at) = &received.before {
            let p = statement.bind(Param::Text(at.clone()));
            range.push(format!("{key} < {} * {SEARCH_KEY_SECOND}", second(p)));
        }
        if words.is_empty() {
            let condition = if range.is_empty() {
                "1 = 1".into()
            } else {
                range.join(" AND ")
            };
            return IncomingRead {
                from: "incoming_documents d".into(),
                condition,
                order: "d.search_key DESC".into(),
                first: None,
            };
        }
        let query = statement.bind(Param::Text(fts5_query(words)));
        let range: String = range.iter().map(|r| format!(" AND {r}")).collect();
        IncomingRead {
            from: format!(
                "(SELECT rowid AS key FROM incoming_search \
                 WHERE incoming_search MATCH {query}{range}) s \
                 JOIN incoming_documents d ON d.search_key = s.key"
            ),
            condition: "1 = 1".into(),
            order: "s.key DESC".into(),
            first: None,
        }
    }

    fn outgoing_from(statement: &mut Statement, words: &[String]) -> (String, String) {
        if words.is_empty() {
            return ("outgoing_documents o".into(), "1 = 1".into());
        }
        let query = statement.bind(Param::Text(fts5_query(words)));
        (
            format!(
                "(SELECT rowid AS key FROM outgoing_search WHERE outgoing_search MATCH {query}) s \
                 JOIN outgoing_documents o ON o.id = s.key"
            ),
            "1 = 1".into(),
        )
    }

    fn one_of(statement: &mut Statement, expression: &str, list: &[String]) -> String {
        let json = serde_json::to_string(list).unwrap_or_else(|_| "[]".into());
        let p = statement.bind(Param::Text(json));
        format!("{expression} IN (SELECT value FROM json_each({p}))")
    }
}

/// PostgreSQL's query: each word folded by the same function as the texts and quoted as a
/// lexeme, the last one a prefix, all of them required.
fn tsquery(statement: &mut Statement, words: &[String]) -> String {
    words
        .iter()
        .enumerate()
        .map(|(i, word)| {
            let p = statement.bind(Param::Text(word.clone()));
            let prefix = if i + 1 == words.len() { " || ':*'" } else { "" };
            format!("to_tsquery('simple', quote_literal(turno_search_text({p})){prefix})")
        })
        .collect::<Vec<_>>()
        .join(" && ")
}

impl SearchDialect for PgStore {
    /// Compiling a search's statement costs more than running it (its estimated cost, over a
    /// million documents, passes the JIT's threshold: 140 ms measured, for a search that reads
    /// a page of 20); and the bitmap of a common word's documents stays exact in 32 MB (in the
    /// default 4 MB it becomes lossy, and every row of its pages is read again). Each search is
    /// planned for its own words (a plan kept for any words would read the newest index
    /// backwards for a rare one, or every match of a common one).
    const PREAMBLE: &'static [&'static str] = &[
        "SET LOCAL jit = off",
        "SET LOCAL work_mem = '32MB'",
        "SET LOCAL plan_cache_mode = force_custom_plan",
    ];
    /// Without it the planner hashes every turn of the units first (125,000 over a million
    /// documents: 160 ms) even when the page reads a few dozen documents.
    const PROBED: &'static str = " OFFSET 0";

    /// Without words: the order of the index `incoming_documents_newest` (migration 0038), read
    /// backwards, the received range a range of it. With words: the index of migration 0051,
    /// bucket by bucket (ten days received), newest first; each bucket's matches sorted (a
    /// bucket's order is the dates'), so that the reading stops in the bucket where the
    /// statement's `LIMIT` is reached: [`bucketed`].
    fn incoming_from(
        statement: &mut Statement,
        words: &[String],
        received: &Received,
    ) -> IncomingRead {
        let mut bounds = Vec::new();
        if let Some(at) = &received.from {
            bounds.push((">=", statement.bind(Param::Text(at.clone()))));
        }
        if let Some(at) = &received.before {
            bounds.push(("<", statement.bind(Param::Text(at.clone()))));
        }
        // The range, on the documents called `alias`.
        let range = |alias: &str| {
            bounds
                .iter()
                .map(|(op, p)| format!(" AND substr({alias}.received_at, 1, 19) {op} {p}"))
                .collect::<String>()
        };
        let newest = "substr(d.received_at, 1, 19) DESC, d.folio_year DESC, d.folio_number DESC";
        if words.is_empty() {
            return IncomingRead {
                from: "incoming_documents d".into(),
                condition: format!("TRUE{}", range("d")),
                order: newest.into(),
                first: None,
            };
        }
        let query = tsquery(statement, words);
        IncomingRead {
            from: bucketed(&query, &range("h"), &range("l")),
            condition: format!("d.search @@ ({query}){}", range("d")),
            order: format!("k.bucket DESC, {newest}"),
            first: Some(First {
                from: format!(
                    "(SELECT * FROM incoming_documents d WHERE TRUE{} ORDER BY {newest} \
                     LIMIT {FIRST_READ}) d",
                    range("d")
                ),
                order: newest.into(),
            }),
        }
    }

    fn outgoing_from(statement: &mut Statement, words: &[String]) -> (String, String) {
        if words.is_empty() {
            return ("outgoing_documents o".into(), "TRUE".into());
        }
        let query = tsquery(statement, words);
        (
            "outgoing_documents o".into(),
            format!("o.search @@ ({query})"),
        )
    }

    fn one_of(statement: &mut Statement, expression: &str, list: &[String]) -> String {
        let p = statement.bind(Param::Texts(list.to_vec()));
        format!("{expression} = ANY({p})")
    }
}

/// PostgreSQL's incoming documents `d` that may match `query` (a `tsquery`), bucket by bucket
/// `k` (migration 0051: ten days received, `k.bucket` their first day), newest first: the
/// buckets from the newest document's within the received range to the oldest's (`range_h`,
/// `range_l`: the range's conditions on `h` and `l`, each begun by `AND`), and in each the
/// documents the index of 0051 finds for the words (the caller asks `query` itself of each,
/// and the range). Ordered by `k.bucket` first, the statement's `LIMIT` stops
/// the reading at the bucket where it is reached (PostgreSQL sorts each bucket's matches by
/// themselves, an incremental sort), instead of listing every match of the words and sorting
/// them, or reading every document newest first to check its words. `OFFSET 0` keeps the
/// caller's conditions out of the bucket's reading: with them, the planner could read a
/// bucket by the index of all the matches, or by date, once a bucket.
fn bucketed(query: &str, range_h: &str, range_l: &str) -> String {
    format!(
        "(SELECT bucket FROM (SELECT to_char(m, 'YYYY-MM-') || x.day AS bucket \
         FROM (SELECT (SELECT max(substr(h.received_at, 1, 19)) \
         FROM incoming_documents h WHERE TRUE{range_h}) AS newest, \
         (SELECT min(substr(l.received_at, 1, 19)) \
         FROM incoming_documents l WHERE TRUE{range_l}) AS oldest) r \
         CROSS JOIN generate_series(date_trunc('month', r.newest::timestamp), \
         date_trunc('month', r.oldest::timestamp), interval '-1 month') m \
         CROSS JOIN (VALUES ('01'), ('11'), ('21')) x (day) \
         WHERE to_char(m, 'YYYY-MM-') || x.day \
         BETWEEN turno_search_bucket(r.oldest) AND turno_search_bucket(r.newest)) b \
         ORDER BY bucket DESC) k \
         CROSS JOIN LATERAL (SELECT * FROM incoming_documents d \
         WHERE turno_search_buckets(turno_search_bucket(d.received_at), d.search) \
         @@ turno_search_bucket_query(k.bucket, ({query})) OFFSET 0) d",
    )
}

/// Incoming documents `d` turned (not withdrawn) to one of `units`, or registered by one.
fn incoming_of<D: SearchDialect>(statement: &mut Statement, units: &[String]) -> String {
    let registered = D::one_of(statement, "d.unit", units);
    let turned = D::one_of(statement, "t.unit", units);
    format!(
        "({registered} OR EXISTS (SELECT 1 FROM incoming_turns t \
         WHERE t.folio_year = d.folio_year AND t.folio_number = d.folio_number \
         AND t.status <> '{withdrawn}' AND {turned}{probed}))",
        withdrawn = TurnStatus::Withdrawn.code(),
        probed = D::PROBED
    )
}

/// Whether the person reads `d`'s texts: it is public, or of a unit they are a member of.
fn incoming_readable<D: SearchDialect>(statement: &mut Statement, reads: &[String]) -> String {
    let of = incoming_of::<D>(statement, reads);
    format!(
        "(d.classification = '{public}' OR {of})",
        public = Classification::Public.code()
    )
}

/// An incoming search's received range, to the second (a fraction of a bound is left out), as
/// the dates are stored (local, `AAAA-MM-DDThh:mm:ss`): from `from` on, before `before`.
#[derive(Debug)]
struct Received {
    from: Option<String>,
    before: Option<String>,
}

/// The two selections, incoming and outgoing, each with the columns of a [`Found`] and the
/// conditions of the search, at most `limit` (bound) of each, newest first. Incoming documents
/// are taken in the order a backend reads without sorting (`SearchDialect::incoming_from`:
/// PostgreSQL reads a search's words first in the newest 2,000 documents, where a common
/// word's 201 newest are, then ten days at a time; the GIN index of all the matches would list
/// half a million of a common word first); outgoing ones are sorted (there are fewer, and they
/// are signed in another order than drafted).
fn selections<D: SearchDialect>(
    statement: &mut Statement,
    search: &CorrespondenceSearch,
    limit: &str,
) -> (String, String) {
    let scope = &search.scope;
    // Incoming.
    let second = |at: jiff::civil::DateTime| at.strftime("%Y-%m-%dT%H:%M:%S").to_string();
    let received = Received {
        from: search.received_from.map(second),
        before: search.received_before.map(second),
    };
    let read = D::incoming_from(statement, &search.words, &received);
    let mut conditions = vec![read.condition];
    if let Seen::Units(units) = &scope.seen {
        conditions.push(incoming_of::<D>(statement, units));
    }
    let readable = incoming_readable::<D>(statement, &scope.reads);
    if !search.words.is_empty() {
        // A classified document is never found by words its reader may not read.
        conditions.push(readable.clone());
    }
    let columns = format!(
        "'E' AS kind, d.folio_year AS k1, d.folio_number AS k2, d.their_number AS number, \
         d.subject AS subject, d.sender_name AS sender_name, \
         d.sender_position AS sender_position, d.sender_organization AS sender_organization, \
         d.received_at AS at, substr(d.received_at, 1, 19) AS second, \
         d.classification AS classification, '' AS stage, \
         CASE WHEN {readable} THEN 1 ELSE 0 END AS readable"
    );
    let conditions = conditions.join(" AND ");
    let select = |from: &str, order: &str| {
        format!("SELECT {columns} FROM {from} WHERE {conditions} ORDER BY {order} LIMIT {limit}")
    };
    let whole = select(&read.from, &read.order);
    // The first reading's answer when it found what is needed, else the whole reading's: the
    // one not needed is not run (a condition without columns, decided before either runs).
    let incoming = match read.first {
        None => whole,
        Some(first) => format!(
            "WITH w AS MATERIALIZED ({}) \
             SELECT * FROM w WHERE (SELECT count(*) FROM w) >= {limit} \
             UNION ALL SELECT * FROM ({whole}) a WHERE (SELECT count(*) FROM w) < {limit}",
            select(&first.from, &first.order)
        ),
    };

    // Outgoing.
    let (from, matched) = D::outgoing_from(statement, &search.words);
    let mut conditions = vec![matched];
    if let Some(at) = search.signed_from {
        let p = statement.bind(Param::Text(at.to_string()));
        conditions.push(format!("o.signed_at >= {p}"));
    }
    if let Some(at) = search.signed_before {
        let p = statement.bind(Param::Text(at.to_string()));
        conditions.push(format!("o.signed_at < {p}"));
    }
    if let Seen::Units(units) = &scope.seen {
        let issued = D::one_of(statement, "u.code", units);
        let addressed = D::one_of(statement, "r.unit_code", units);
        let login = statement.bind(Param::Text(scope.login.clone()));
        conditions.push(format!(
            "({issued} OR EXISTS (SELECT 1 FROM outgoing_reviewers v \
             WHERE v.document_id = o.id AND v.login = {login}) \
             OR (o.stage = '{dispatched}' AND EXISTS (SELECT 1 FROM outgoing_recipients r \
             WHERE r.document_id = o.id AND {addressed})))",
            dispatched = Stage::Dispatched.code()
        ));
    }
    let columns = format!(
        "'S' AS kind, o.id AS k1, 0 AS k2, o.number AS number, o.subject AS subject, \
         u.name AS sender_name, '' AS sender_position, u.code AS sender_organization, \
         COALESCE(o.signed_at, o.created_at) AS at, \
         substr(COALESCE(o.signed_at, o.created_at), 1, 19) AS second, \
         '{public}' AS classification, o.stage AS stage, 1 AS readable",
        public = Classification::Public.code()
    );
    let order = " ORDER BY substr(COALESCE(o.signed_at, o.created_at), 1, 19) DESC, o.id DESC";
    let outgoing = format!(
        "SELECT {columns} FROM {from} JOIN units u ON u.id = o.unit_id WHERE {}{order} \
         LIMIT {limit}",
        conditions.join(" AND ")
    );
    (incoming, outgoing)
}

/// The page and the count in one statement, from one reading: the newest
/// `max(COUNT_CAP + 1, offset + limit)` of each kind, each read in its order, are what is
/// counted (up to one more than the cap, which tells that there are more) and what the page is
/// cut from once merged. So the documents read for the count are the page's too, where a count
/// and then a page read the newest documents twice (a rare pair of words twice through the
/// GIN index, and every match of it twice from the table, on PostgreSQL). The order is the
/// same everywhere: the second received or signed (else drafted) newest first, incoming before
/// outgoing, the folio or id newest first; so pages never overlap. One row at least: the count
/// with no document (`kind` null) when the page is empty.
fn found_statement<D: SearchDialect>(search: &CorrespondenceSearch) -> Statement {
    let mut statement = Statement::default();
    let cap = i64::try_from(COUNT_CAP)
        .unwrap_or(i64::MAX)
        .saturating_add(1);
    let offset = i64::try_from(search.offset).unwrap_or(i64::MAX);
    let needed = offset.saturating_add(i64::from(search.limit)).max(cap);
    let needed = statement.bind(Param::Int(needed));
    let (incoming, outgoing) = selections::<D>(&mut statement, search, &needed);
    let cap = statement.bind(Param::Int(cap));
    let limit = statement.bind(Param::Int(i64::from(search.limit)));
    let offset = statement.bind(Param::Int(offset));
    statement.sql = format!(
        "WITH f AS MATERIALIZED (SELECT * FROM ({incoming}) i UNION ALL \
         SELECT * FROM ({outgoing}) g), \
         n AS (SELECT count(*) AS total FROM (SELECT 1 AS one FROM f LIMIT {cap}) c) \
         SELECT n.total, p.kind, COALESCE(p.k1, 0) AS k1, COALESCE(p.k2, 0) AS k2, p.number, \
         COALESCE(p.subject, '') AS subject, COALESCE(p.sender_name, '') AS sender_name, \
         COALESCE(p.sender_position, '') AS sender_position, \
         COALESCE(p.sender_organization, '') AS sender_organization, \
         COALESCE(p.at, '') AS at, COALESCE(p.classification, '') AS classification, \
         COALESCE(p.readable, 0) AS readable, \
         CASE WHEN p.kind IS NULL THEN '' WHEN p.kind = 'S' THEN p.stage \
         WHEN EXISTS (SELECT 1 FROM incoming_turns t WHERE t.folio_year = p.k1 \
         AND t.folio_number = p.k2 AND t.status = '{open}') THEN '{open}' \
         WHEN EXISTS (SELECT 1 FROM incoming_turns t WHERE t.folio_year = p.k1 \
         AND t.folio_number = p.k2) THEN 'cerrado' ELSE 'sin_turnar' END AS state \
         FROM n LEFT JOIN (SELECT * FROM f \
         ORDER BY second DESC, kind, k1 DESC, k2 DESC LIMIT {limit} OFFSET {offset}) p ON TRUE \
         ORDER BY p.second DESC, p.kind, p.k1 DESC, p.k2 DESC",
        open = TurnStatus::Open.code()
    );
    statement
}

#[derive(sqlx::FromRow)]
struct FoundRow {
    total: i64,
    /// None: no document (an empty page's row that carries the count).
    kind: Option<String>,
    k1: i64,
    k2: i64,
    number: Option<String>,
    subject: String,
    sender_name: String,
    sender_position: String,
    sender_organization: String,
    at: String,
    classification: String,
    readable: i32,
    state: String,
}

impl FoundRow {
    fn found(self) -> Result<Option<Found>, StoreError> {
        let Some(kind) = self.kind else {
            return Ok(None);
        };
        let key = if kind == "E" {
            FoundKey::Incoming(IncomingFolio {
                year: i16::try_from(self.k1).map_err(StoreError::corrupt)?,
                number: u32::try_from(self.k2).map_err(StoreError::corrupt)?,
            })
        } else {
            FoundKey::Outgoing(self.k1)
        };
        let bad = |what: &str| StoreError::corrupt(format!("{key:?}: {what}"));
        let state = match self.state.as_str() {
            "sin_turnar" => FoundState::NotTurned,
            "cerrado" => FoundState::Closed,
            s if kind == "E" && s == TurnStatus::Open.code() => FoundState::Open,
            s => FoundState::Stage(Stage::from_code(s).ok_or_else(|| bad("stage"))?),
        };
        Ok(Some(Found {
            key,
            number: self.number,
            subject: self.subject,
            sender_name: self.sender_name,
            sender_position: self.sender_position,
            sender_organization: self.sender_organization,
            at: self.at,
            classification: Classification::from_code(&self.classification)
                .ok_or_else(|| bad("classification"))?,
            state,
            readable: self.readable != 0,
        }))
    }
}

/// Binds a statement's values and runs it on one backend.
macro_rules! finder_impl {
    ($store:ty, $list:expr) => {
        impl CorrespondenceFinder for $store {
            async fn search_correspondence(
                &self,
                search: &CorrespondenceSearch,
            ) -> Result<FoundPage, StoreError> {
                let mut tx = self.reader.begin().await?;
                for said in <$store as SearchDialect>::PREAMBLE {
                    sqlx::query(said).execute(&mut *tx).await?;
                }
                let statement = found_statement::<$store>(search);
                let mut query = sqlx::query_as::<_, FoundRow>(&statement.sql);
                for param in statement.params {
                    query = match param {
                        Param::Text(t) => query.bind(t),
                        Param::Texts(list) => query.bind($list(list)),
                        Param::Int(n) => query.bind(n),
                    };
                }
                let rows = query.fetch_all(&mut *tx).await?;
                tx.commit().await?;
                let total = rows.first().map_or(0, |row| row.total);
                let total = u64::try_from(total).unwrap_or(0);
                let mut found = Vec::with_capacity(rows.len());
                for row in rows {
                    found.extend(row.found()?);
                }
                Ok(FoundPage {
                    total: total.min(COUNT_CAP),
                    more: total > COUNT_CAP,
                    found,
                })
            }
        }
    };
}

/// SQLite binds no arrays: its lists are JSON texts (`SearchDialect::one_of`).
fn sqlite_list(list: Vec<String>) -> String {
    serde_json::to_string(&list).unwrap_or_else(|_| "[]".into())
}

fn pg_list(list: Vec<String>) -> Vec<String> {
    list
}

finder_impl!(SqliteStore, sqlite_list);
finder_impl!(PgStore, pg_list);

/// The words of a search as the store takes them: runs of letters and digits, lowercased, at
/// most [`MAX_WORDS`]; «CE-2026-000123» is three words, as both indexes read it.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .take(MAX_WORDS)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_runs_of_letters_and_digits() {
        assert_eq!(
            words("  Oficio NÚMERO, SIDSS/ST/0123/2026 «x»"),
            ["oficio", "número", "sidss", "st", "0123", "2026", "x"]
        );
        assert!(words(" ¿?¡! ").is_empty());
        assert_eq!(words(&"a ".repeat(20)).len(), MAX_WORDS);
    }

    #[test]
    fn the_fts5_query_quotes_each_word_and_the_last_is_a_prefix() {
        assert_eq!(
            fts5_query(&["oficio".into(), "num".into()]),
            "\"oficio\" \"num\"*"
        );
    }
}
