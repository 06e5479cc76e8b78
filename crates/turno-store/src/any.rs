//! The store a database URL names, chosen at run time: `sqlite://PATH` (or a plain path) or
//! `postgres://…`.

use crate::documents::{Document, DocumentRecord};
use crate::error::StoreError;
use crate::followup::{Followup, ProgramImport};
use crate::identity::{Membership, NewUser, Role, Unit, UnitInput, User, UserRecord};
use crate::model::{CaseId, Commit, Committed, CurrentCase, InboxRow, StoredCase, VerifyReport};
use crate::model::{CaseSearch, CaseSummary, InboxQuery};
use crate::notifications::{
    DigestRecipient, DueItem, ItemContext, Mail, Notification, NotificationBatch, NotificationKind,
    Notifications, Preference, QueuedEvent, Recipient,
};
use crate::store::{PublishedProcedure, Store};
use crate::{PgStore, SqliteStore};
use turno_domain::definition::Procedure;

#[derive(Debug, Clone)]
pub enum AnyStore {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

impl AnyStore {
    pub async fn connect(url: &str) -> Result<AnyStore, StoreError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(AnyStore::Postgres(PgStore::connect(url).await?))
        } else if url.starts_with("sqlite:") || !url.contains("://") {
            Ok(AnyStore::Sqlite(SqliteStore::open(url).await?))
        } else {
            Err(StoreError::UnsupportedUrl(url.to_owned()))
        }
    }
}

/// Forwards a call to whichever backend this is.
macro_rules! forward {
    ($self:ident, $store:ident => $call:expr) => {
        match $self {
            AnyStore::Sqlite($store) => $call.await,
            AnyStore::Postgres($store) => $call.await,
        }
    };
}

impl Store for AnyStore {
    async fn migrate(&self) -> Result<(), StoreError> {
        forward!(self, s => s.migrate())
    }

    async fn publish_procedure(
        &self,
        procedure: &Procedure,
        source: &str,
        at: jiff::Timestamp,
    ) -> Result<bool, StoreError> {
        forward!(self, s => s.publish_procedure(procedure, source, at))
    }

    async fn published_procedures(&self) -> Result<Vec<PublishedProcedure>, StoreError> {
        forward!(self, s => s.published_procedures())
    }

    async fn commit(&self, commit: Commit<'_>) -> Result<Committed, StoreError> {
        forward!(self, s => s.commit(commit))
    }

    async fn replayed(&self, key: &str) -> Result<Option<Committed>, StoreError> {
        forward!(self, s => s.replayed(key))
    }

    async fn find_case(&self, folio: &str) -> Result<Option<CaseId>, StoreError> {
        forward!(self, s => s.find_case(folio))
    }

    async fn load_current(&self, id: CaseId) -> Result<CurrentCase, StoreError> {
        forward!(self, s => s.load_current(id))
    }

    async fn load_case(&self, id: CaseId) -> Result<StoredCase, StoreError> {
        forward!(self, s => s.load_case(id))
    }

    async fn inbox(
        &self,
        unit: &str,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<InboxRow>, StoreError> {
        forward!(self, s => s.inbox(unit, limit, offset))
    }

    async fn verify(&self) -> Result<VerifyReport, StoreError> {
        forward!(self, s => s.verify())
    }

    async fn documents(&self, case: CaseId) -> Result<Vec<Document>, StoreError> {
        forward!(self, s => s.documents(case))
    }

    async fn document_records(&self) -> Result<Vec<DocumentRecord>, StoreError> {
        forward!(self, s => s.document_records())
    }

    async fn upsert_unit(&self, unit: &UnitInput, actor: &str) -> Result<i64, StoreError> {
        forward!(self, s => s.upsert_unit(unit, actor))
    }

    async fn organization(&self) -> Result<Vec<turno_domain::org::UnitSpec>, StoreError> {
        forward!(self, s => s.organization())
    }

    async fn import_units(
        &self,
        units: &[turno_domain::org::UnitSpec],
        actor: &str,
    ) -> Result<crate::ImportCounts, StoreError> {
        forward!(self, s => s.import_units(units, actor))
    }

    async fn calendar_revision(&self) -> Result<i64, StoreError> {
        forward!(self, s => s.calendar_revision())
    }

    async fn calendar(&self) -> Result<crate::calendar::StoredCalendar, StoreError> {
        forward!(self, s => s.calendar())
    }

    async fn import_calendar(
        &self,
        files: &[(&str, turno_domain::calendar::CalendarData)],
        actor: &str,
    ) -> Result<crate::calendar::CalendarImport, StoreError> {
        forward!(self, s => s.import_calendar(files, actor))
    }

    async fn set_calendar_scope(
        &self,
        institution: Option<&str>,
        state: Option<turno_domain::calendar::State>,
        actor: &str,
    ) -> Result<i64, StoreError> {
        forward!(self, s => s.set_calendar_scope(institution, state, actor))
    }

    async fn remove_calendar_entry(
        &self,
        id: i64,
        actor: &str,
    ) -> Result<Option<crate::calendar::CalendarEntry>, StoreError> {
        forward!(self, s => s.remove_calendar_entry(id, actor))
    }

    async fn cases_with_due(&self, after: CaseId, limit: i64) -> Result<Vec<CaseId>, StoreError> {
        forward!(self, s => s.cases_with_due(after, limit))
    }

    async fn audit_log(
        &self,
        subject: Option<&str>,
        limit: i64,
    ) -> Result<Vec<crate::AuditEntry>, StoreError> {
        forward!(self, s => s.audit_log(subject, limit))
    }

    async fn create_delegation(
        &self,
        delegation: &crate::NewDelegation,
        actor: &str,
    ) -> Result<i64, StoreError> {
        forward!(self, s => s.create_delegation(delegation, actor))
    }

    async fn revoke_delegation(&self, id: i64, actor: &str) -> Result<bool, StoreError> {
        forward!(self, s => s.revoke_delegation(id, actor))
    }

    async fn delegations(&self) -> Result<Vec<crate::Delegation>, StoreError> {
        forward!(self, s => s.delegations())
    }

    async fn delegated_memberships(
        &self,
        user_id: i64,
        on: jiff::civil::Date,
    ) -> Result<Vec<Membership>, StoreError> {
        forward!(self, s => s.delegated_memberships(user_id, on))
    }

    async fn cases_past_due(
        &self,
        before: jiff::civil::Date,
        limit: i64,
    ) -> Result<Vec<CaseId>, StoreError> {
        forward!(self, s => s.cases_past_due(before, limit))
    }

    async fn units(&self) -> Result<Vec<Unit>, StoreError> {
        forward!(self, s => s.units())
    }

    async fn create_user(&self, user: &NewUser, actor: &str) -> Result<i64, StoreError> {
        forward!(self, s => s.create_user(user, actor))
    }

    async fn user_by_login(&self, login: &str) -> Result<Option<UserRecord>, StoreError> {
        forward!(self, s => s.user_by_login(login))
    }

    async fn user(&self, id: i64) -> Result<Option<User>, StoreError> {
        forward!(self, s => s.user(id))
    }

    async fn people(&self) -> Result<Vec<crate::Person>, StoreError> {
        forward!(self, s => s.people())
    }

    async fn set_user_active(
        &self,
        id: i64,
        active: bool,
        actor: &str,
    ) -> Result<bool, StoreError> {
        forward!(self, s => s.set_user_active(id, active, actor))
    }

    async fn add_membership(
        &self,
        user_id: i64,
        unit_code: &str,
        role: Role,
        actor: &str,
    ) -> Result<(), StoreError> {
        forward!(self, s => s.add_membership(user_id, unit_code, role, actor))
    }

    async fn remove_membership(
        &self,
        user_id: i64,
        unit_code: &str,
        role: Role,
        actor: &str,
    ) -> Result<bool, StoreError> {
        forward!(self, s => s.remove_membership(user_id, unit_code, role, actor))
    }

    async fn memberships(&self, user_id: i64) -> Result<Vec<Membership>, StoreError> {
        forward!(self, s => s.memberships(user_id))
    }

    async fn save_session(
        &self,
        id: &str,
        data: &str,
        expires_at_unix: i64,
    ) -> Result<(), StoreError> {
        forward!(self, s => s.save_session(id, data, expires_at_unix))
    }

    async fn create_session(
        &self,
        id: &str,
        data: &str,
        expires_at_unix: i64,
    ) -> Result<bool, StoreError> {
        forward!(self, s => s.create_session(id, data, expires_at_unix))
    }

    async fn load_session(&self, id: &str, now_unix: i64) -> Result<Option<String>, StoreError> {
        forward!(self, s => s.load_session(id, now_unix))
    }

    async fn delete_session(&self, id: &str) -> Result<(), StoreError> {
        forward!(self, s => s.delete_session(id))
    }

    async fn delete_expired_sessions(&self, now_unix: i64) -> Result<u64, StoreError> {
        forward!(self, s => s.delete_expired_sessions(now_unix))
    }

    async fn record_sign_in_failure(
        &self,
        login: &str,
        at: jiff::Timestamp,
    ) -> Result<u32, StoreError> {
        forward!(self, s => s.record_sign_in_failure(login, at))
    }

    async fn sign_in_failures(&self, login: &str) -> Result<Option<(u32, String)>, StoreError> {
        forward!(self, s => s.sign_in_failures(login))
    }

    async fn clear_sign_in_failures(&self, login: &str) -> Result<(), StoreError> {
        forward!(self, s => s.clear_sign_in_failures(login))
    }

    async fn create_api_token(
        &self,
        user_id: i64,
        name: &str,
        token_sha256: &str,
    ) -> Result<i64, StoreError> {
        forward!(self, s => s.create_api_token(user_id, name, token_sha256))
    }

    async fn user_by_api_token(&self, token_sha256: &str) -> Result<Option<User>, StoreError> {
        forward!(self, s => s.user_by_api_token(token_sha256))
    }

    async fn revoke_api_token(&self, id: i64) -> Result<bool, StoreError> {
        forward!(self, s => s.revoke_api_token(id))
    }

    async fn case_units(&self, case: CaseId) -> Result<Vec<String>, StoreError> {
        forward!(self, s => s.case_units(case))
    }

    async fn units_below(&self, codes: &[String]) -> Result<Vec<String>, StoreError> {
        forward!(self, s => s.units_below(codes))
    }

    async fn inbox_for_units(
        &self,
        units: &[String],
        limit: i64,
        offset: i64,
    ) -> Result<Vec<InboxRow>, StoreError> {
        forward!(self, s => s.inbox_for_units(units, limit, offset))
    }

    async fn count_inbox_for_units(&self, units: &[String]) -> Result<i64, StoreError> {
        forward!(self, s => s.count_inbox_for_units(units))
    }

    async fn search_cases(&self, search: &CaseSearch) -> Result<Vec<CaseSummary>, StoreError> {
        forward!(self, s => s.search_cases(search))
    }

    async fn count_cases(&self, search: &CaseSearch) -> Result<i64, StoreError> {
        forward!(self, s => s.count_cases(search))
    }

    async fn inbox_query(&self, query: &InboxQuery) -> Result<Vec<InboxRow>, StoreError> {
        forward!(self, s => s.inbox_query(query))
    }

    async fn count_inbox_query(&self, query: &InboxQuery) -> Result<i64, StoreError> {
        forward!(self, s => s.count_inbox_query(query))
    }
}

impl Notifications for AnyStore {
    async fn claim_queued_events(
        &self,
        now: i64,
        lease: i64,
        limit: i64,
    ) -> Result<Vec<QueuedEvent>, StoreError> {
        forward!(self, s => s.claim_queued_events(now, lease, limit))
    }

    async fn item_context(
        &self,
        case_id: CaseId,
        item: u32,
    ) -> Result<Option<ItemContext>, StoreError> {
        forward!(self, s => s.item_context(case_id, item))
    }

    async fn recipients(
        &self,
        unit: &str,
        kind: NotificationKind,
        on: jiff::civil::Date,
    ) -> Result<Vec<Recipient>, StoreError> {
        forward!(self, s => s.recipients(unit, kind, on))
    }

    async fn record_notifications(
        &self,
        batch: &NotificationBatch,
        at: jiff::Timestamp,
    ) -> Result<usize, StoreError> {
        forward!(self, s => s.record_notifications(batch, at))
    }

    async fn due_unreminded(
        &self,
        from: jiff::civil::Date,
        to: jiff::civil::Date,
        limit: i64,
    ) -> Result<Vec<DueItem>, StoreError> {
        forward!(self, s => s.due_unreminded(from, to, limit))
    }

    async fn notifications(
        &self,
        user_id: i64,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<Notification>, StoreError> {
        forward!(self, s => s.notifications(user_id, limit, offset))
    }

    async fn count_notifications(&self, user_id: i64) -> Result<i64, StoreError> {
        forward!(self, s => s.count_notifications(user_id))
    }

    async fn unread_notifications(&self, user_id: i64) -> Result<i64, StoreError> {
        forward!(self, s => s.unread_notifications(user_id))
    }

    async fn mark_notifications_read(
        &self,
        user_id: i64,
        ids: Option<&[i64]>,
        at: jiff::Timestamp,
    ) -> Result<u64, StoreError> {
        forward!(self, s => s.mark_notifications_read(user_id, ids, at))
    }

    async fn preferences(&self, user_id: i64) -> Result<Vec<Preference>, StoreError> {
        forward!(self, s => s.preferences(user_id))
    }

    async fn set_preferences(
        &self,
        user_id: i64,
        preferences: &[Preference],
    ) -> Result<(), StoreError> {
        forward!(self, s => s.set_preferences(user_id, preferences))
    }

    async fn claim_mail(&self, now: i64, lease: i64, limit: i64) -> Result<Vec<Mail>, StoreError> {
        forward!(self, s => s.claim_mail(now, lease, limit))
    }

    async fn mail_sent(&self, id: i64, at: jiff::Timestamp) -> Result<(), StoreError> {
        forward!(self, s => s.mail_sent(id, at))
    }

    async fn mail_failed(&self, id: i64, error: &str, retry_at: i64) -> Result<(), StoreError> {
        forward!(self, s => s.mail_failed(id, error, retry_at))
    }

    async fn digest_recipients(
        &self,
        day: jiff::civil::Date,
    ) -> Result<Vec<DigestRecipient>, StoreError> {
        forward!(self, s => s.digest_recipients(day))
    }
}

impl Followup for AnyStore {
    async fn import_program(
        &self,
        key: &str,
        program: &turno_domain::followup::Program,
        actor: &str,
    ) -> Result<ProgramImport, StoreError> {
        forward!(self, s => s.import_program(key, program, actor))
    }

    async fn program(
        &self,
        key: &str,
    ) -> Result<Option<turno_domain::followup::Program>, StoreError> {
        forward!(self, s => s.program(key))
    }

    async fn programs(&self) -> Result<Vec<crate::followup::ProgramHead>, StoreError> {
        forward!(self, s => s.programs())
    }

    async fn link_supervision(&self, key: &str, folio: &str) -> Result<(), StoreError> {
        forward!(self, s => s.link_supervision(key, folio))
    }

    async fn record_update(
        &self,
        at: crate::followup::ActivityAt<'_>,
        change: turno_domain::followup::Change,
        file: Option<crate::followup::EvidenceFile>,
        recorded: crate::followup::Recorded,
    ) -> Result<turno_domain::followup::Update, crate::followup::UpdateError> {
        forward!(self, s => s.record_update(at, change, file, recorded))
    }

    async fn history(&self, key: &str) -> Result<Vec<crate::followup::HistoryEntry>, StoreError> {
        forward!(self, s => s.history(key))
    }

    async fn evidence_file(
        &self,
        at: crate::followup::ActivityAt<'_>,
        index: usize,
    ) -> Result<Option<(String, crate::followup::EvidenceFile)>, StoreError> {
        forward!(self, s => s.evidence_file(at, index))
    }

    async fn close_round(
        &self,
        key: &str,
        recorded: crate::followup::Recorded,
    ) -> Result<
        (
            turno_domain::followup::Round,
            turno_domain::followup::RoundOutcome,
        ),
        crate::followup::UpdateError,
    > {
        forward!(self, s => s.close_round(key, recorded))
    }

    async fn rounds(&self, key: &str) -> Result<Vec<crate::followup::ClosedRound>, StoreError> {
        forward!(self, s => s.rounds(key))
    }
}

impl crate::Petitions for AnyStore {
    async fn import_calls(
        &self,
        import: crate::citizen::CallImport,
    ) -> Result<crate::citizen::CallsImported, StoreError> {
        forward!(self, s => s.import_calls(import))
    }

    async fn petition(
        &self,
        folio: turno_domain::citizen::PetitionFolio,
    ) -> Result<Option<crate::citizen::StoredPetition>, StoreError> {
        forward!(self, s => s.petition(folio))
    }

    async fn call_imports(&self) -> Result<Vec<crate::citizen::CallImportRecord>, StoreError> {
        forward!(self, s => s.call_imports())
    }

    async fn file_petition(
        &self,
        petition: &turno_domain::citizen::Petition,
        access_digest: [u8; 32],
        letter: Option<&crate::citizen::FiledLetter>,
    ) -> Result<turno_domain::citizen::PetitionFolio, StoreError> {
        forward!(self, s => s.file_petition(petition, access_digest, letter))
    }

    async fn letter(
        &self,
        folio: turno_domain::citizen::PetitionFolio,
    ) -> Result<Option<crate::citizen::FiledLetter>, StoreError> {
        forward!(self, s => s.letter(folio))
    }

    async fn petitions(
        &self,
        filter: &crate::citizen::PetitionFilter,
    ) -> Result<Vec<crate::citizen::StoredPetition>, StoreError> {
        forward!(self, s => s.petitions(filter))
    }

    async fn record_personal_data_view(
        &self,
        folio: turno_domain::citizen::PetitionFolio,
        actor: &str,
    ) -> Result<(), StoreError> {
        forward!(self, s => s.record_personal_data_view(folio, actor))
    }
}

impl crate::Throttle for AnyStore {
    async fn attempt(&self, key: &str, window_start: i64) -> Result<u64, StoreError> {
        forward!(self, s => s.attempt(key, window_start))
    }
}

impl crate::Handling for AnyStore {
    async fn motives(&self) -> Result<Vec<turno_domain::citizen::Motive>, StoreError> {
        forward!(self, s => s.motives())
    }

    async fn add_motive(
        &self,
        motive: &turno_domain::citizen::Motive,
        actor: &str,
    ) -> Result<(), StoreError> {
        forward!(self, s => s.add_motive(motive, actor))
    }

    async fn retire_motive(&self, code: &str, actor: &str) -> Result<(), StoreError> {
        forward!(self, s => s.retire_motive(code, actor))
    }

    async fn handling(
        &self,
        folio: turno_domain::citizen::PetitionFolio,
    ) -> Result<Option<crate::handling::PetitionHandling>, StoreError> {
        forward!(self, s => s.handling(folio))
    }

    async fn classify(
        &self,
        folio: turno_domain::citizen::PetitionFolio,
        classified: &crate::handling::Classified,
    ) -> Result<(), StoreError> {
        forward!(self, s => s.classify(folio, classified))
    }

    async fn record_response(
        &self,
        form: &turno_domain::citizen::ResponseForm,
        by: &str,
        at: jiff::Timestamp,
    ) -> Result<(), StoreError> {
        forward!(self, s => s.record_response(form, by, at))
    }

    async fn record_review(
        &self,
        folio: turno_domain::citizen::PetitionFolio,
        reviewed: &crate::handling::Reviewed,
    ) -> Result<(), StoreError> {
        forward!(self, s => s.record_review(folio, reviewed))
    }

    async fn declare_calls(
        &self,
        day: jiff::civil::Date,
        received: u32,
        actor: &str,
    ) -> Result<(), StoreError> {
        forward!(self, s => s.declare_calls(day, received, actor))
    }

    async fn declared_calls(
        &self,
        from: jiff::civil::Date,
        to: jiff::civil::Date,
    ) -> Result<Vec<(jiff::civil::Date, u32)>, StoreError> {
        forward!(self, s => s.declared_calls(from, to))
    }

    async fn handled_between(
        &self,
        from: jiff::civil::Date,
        to: jiff::civil::Date,
    ) -> Result<Vec<turno_domain::citizen::Handled>, StoreError> {
        forward!(self, s => s.handled_between(from, to))
    }
}
