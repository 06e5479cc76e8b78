//! Who is acting: a person with their memberships, the units whose work they see and the
//! suplencias in force, as every access rule reads them. The pages' signed-in person and the
//! API's token user are both one.

use std::collections::{BTreeSet, HashMap};
use turno_store::{AnyStore, Membership, Role, Store, StoreError, User};

#[derive(Clone)]
pub struct Principal {
    pub id: i64,
    pub login: String,
    /// Their own memberships and, while a suplencia is in force, the titular role of the unit
    /// they substitute in (`Membership::substituting`).
    pub memberships: Vec<Membership>,
    /// The units whose work this person sees: theirs and every unit below them.
    pub visible_units: Vec<String>,
    /// Units they see only through a suplencia, with the titular they act for there.
    substitutions: HashMap<String, String>,
}

impl std::fmt::Debug for Principal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Principal")
            .field("login", &self.login)
            .finish()
    }
}

impl Principal {
    /// The person `user` as of `today`: their memberships, the suplencias in force that day
    /// and the units below each.
    pub async fn load(
        store: &AnyStore,
        user: &User,
        today: jiff::civil::Date,
    ) -> Result<Principal, StoreError> {
        let own = store.memberships(user.id).await?;
        let delegated = store.delegated_memberships(user.id, today).await?;
        let mut own_codes: Vec<String> = own.iter().map(|m| m.unit_code.clone()).collect();
        own_codes.sort();
        own_codes.dedup();
        let own_units = store.units_below(&own_codes).await?;
        let mut substitutions = HashMap::new();
        for membership in &delegated {
            let titular = membership.substituting.clone().unwrap_or_default();
            for unit in store
                .units_below(std::slice::from_ref(&membership.unit_code))
                .await?
            {
                if !own_units.contains(&unit) {
                    substitutions.entry(unit).or_insert_with(|| titular.clone());
                }
            }
        }
        // What a suplencia adds is exactly the units it reaches beyond one's own.
        let visible_units: Vec<String> = own_units
            .iter()
            .chain(substitutions.keys())
            .cloned()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut memberships = own;
        memberships.extend(delegated);
        Ok(Principal {
            id: user.id,
            login: user.login.clone(),
            memberships,
            visible_units,
            substitutions,
        })
    }

    pub fn is_admin(&self) -> bool {
        self.memberships
            .iter()
            .any(|m| m.role == Role::Administrador)
    }

    /// The titular in whose name this person acts on a unit's work, when only a suplencia
    /// lets them.
    pub fn substituting_for(&self, unit: &str) -> Option<&str> {
        self.substitutions.get(unit).map(String::as_str)
    }

    /// Roles that only look: they see but never act.
    pub fn can_act(&self) -> bool {
        self.memberships.iter().any(|m| m.role != Role::Consulta)
    }
}
