-- Searching the correspondence by words with a bounded cost (issue 17, item 8; BENCHMARKS.md
-- «Correspondencia: búsqueda sobre 1,000,000 de documentos», migration 0051). A search's page
-- and count need the newest 201 matches a person may see. The GIN index of 0030 lists every
-- match of the words, in no useful order (every one is then read and sorted), and reading the
-- table newest first checks every document on the way (201 ÷ the words' share of them): for
-- words found in 0.3–3 % of the documents, both read thousands to tens of thousands of rows.
--
-- Here each document's words are also indexed by the ten days it was received in (its
-- «bucket»: days 1–10, 11–20 and 21 to the month's end, named by their first day): the lexeme
-- «dengue» of a document received on 2026-11-23 is also «2026-11-21:dengue». A search asks the
-- index for the newest bucket's matches first, then the one before, and stops once it has the
-- 201 it needs (`turno_store::correspondence::search`): each question costs one bucket's
-- matches, and a prefix («2026-11-21:dengu:*») stays one range of the index's entries.
--
-- An index on an expression, not a column: PostgreSQL keeps it on every insert and change of
-- a document, and the table does not grow. Only the index reads the expression (a search's
-- rows are taken from it as they are, without computing it again), so its cost is paid once,
-- when a document is written. A word is kept to its first 250 letters there (an entry of a GIN
-- index has a size limit, and so does a lexeme); a search's word is cut the same way, so the
-- index finds at least the documents that match, and the search checks each of them against
-- the whole `search` of 0030, which decides.

-- The bucket of a received date and time (`AAAA-MM-DDThh:mm:ss`, as stored): the first day of
-- its ten days, `AAAA-MM-01`, `-11` or `-21`. Its order is the dates'.
CREATE FUNCTION turno_search_bucket(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT substr($1, 1, 8) || CASE WHEN substr($1, 9, 2) < '11' THEN '01'
                                          WHEN substr($1, 9, 2) < '21' THEN '11'
                                          ELSE '21' END $$;

-- The lexemes of `search`, each prefixed by `bucket` and a colon (a lexeme of 0030 holds no
-- punctuation, so none is taken for another).
CREATE FUNCTION turno_search_buckets(bucket text, search tsvector) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT array_to_tsvector(ARRAY(
              SELECT bucket || ':' || left(l, 250) FROM unnest(tsvector_to_array(search)) l)) $$;

-- A search's query for one bucket: each lexeme prefixed (and cut) as above, a phrase's order
-- (`<->`, which a word folded into two lexemes gives, «½» into «1 2») asked as both lexemes
-- (the bucket's lexemes have no positions). It finds every document the query finds, and maybe
-- more: the search also asks the query itself.
CREATE FUNCTION turno_search_bucket_query(bucket text, query tsquery) RETURNS tsquery
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT regexp_replace(
              regexp_replace(query::text, '''([^'']{0,250})[^'']*''', '''' || bucket || ':\1''', 'g'),
              '<[0-9]+>|<->', '&', 'g')::tsquery $$;

CREATE INDEX incoming_documents_buckets ON incoming_documents
    USING GIN (turno_search_buckets(turno_search_bucket(received_at), search))
    WITH (fastupdate = off);
