//! Personal data as lists and exports show it: enough to tell records apart, not enough to
//! identify the person. One function per kind; each takes any stored text (valid or not) and
//! never reveals more than its rule allows. Masks of CURPs and telephones have a fixed length,
//! so they do not reveal how long the hidden part is either.

use super::Contact;

const CURP_HIDDEN: &str = "********";
const PHONE_HIDDEN: &str = "******";
/// What stands for a text that reveals nothing.
pub const HIDDEN: &str = "********";

/// `GOMJ800101HDFRRN01` → `GOMJ********01`: the initials of the name (first 4) and the last 2
/// characters. A text that is not 18 characters long reveals nothing.
pub fn mask_curp(curp: &str) -> String {
    let chars: Vec<char> = curp.trim().chars().collect();
    if chars.len() == 18 {
        let mut masked: String = chars[..4].iter().collect();
        masked.push_str(CURP_HIDDEN);
        masked.extend(&chars[16..]);
        masked
    } else {
        "*".repeat(14)
    }
}

/// `55 1234 5678` → `******5678`: the last 4 digits, when the text has at least 8 (fewer
/// would reveal half the number); otherwise nothing.
pub fn mask_phone(phone: &str) -> String {
    let digits: Vec<char> = phone.chars().filter(char::is_ascii_digit).collect();
    let mut masked = PHONE_HIDDEN.to_owned();
    if digits.len() >= 8 {
        masked.extend(&digits[digits.len() - 4..]);
    } else {
        masked.push_str("****");
    }
    masked
}

/// `juana.perez@ejemplo.mx` → `j***@ejemplo.mx`: the first character of the mailbox and the
/// domain (many people share it). Without a mailbox and a domain, nothing.
pub fn mask_email(email: &str) -> String {
    match email.trim().rsplit_once('@') {
        Some((local, domain)) if !domain.is_empty() => match local.chars().next() {
            Some(first) => format!("{first}***@{domain}"),
            None => HIDDEN.to_owned(),
        },
        _ => HIDDEN.to_owned(),
    }
}

/// An address reveals nothing: even a street and a colonia may identify a person.
pub fn mask_address(_address: &str) -> String {
    HIDDEN.to_owned()
}

/// `Juana Pérez Gómez` → `J. P. G.`: the initial of each word.
pub fn mask_name(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|word| word.chars().next())
        .map(|initial| format!("{initial}."))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A contact with every part masked, for lists and exports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MaskedContact {
    pub name: Option<String>,
    pub curp: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
}

impl Contact {
    pub fn masked(&self) -> MaskedContact {
        MaskedContact {
            name: self.name.as_deref().map(mask_name),
            curp: self.curp.as_ref().map(|c| mask_curp(c.as_str())),
            phone: self.phone.as_ref().map(|p| mask_phone(p.as_str())),
            email: self.email.as_ref().map(|e| mask_email(e.as_str())),
            address: self.address.as_deref().map(mask_address),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn citizen_masks_of_each_kind() {
        assert_eq!(mask_curp("GOMJ800101HDFRRN01"), "GOMJ********01");
        assert_eq!(mask_curp("GOMJ80"), "**************");
        assert_eq!(mask_phone("+52 55 1234 5678"), "******5678");
        assert_eq!(mask_phone("1234"), "**********");
        assert_eq!(mask_email("juana.perez@ejemplo.mx"), "j***@ejemplo.mx");
        assert_eq!(mask_email("ñandú@correo.mx"), "ñ***@correo.mx");
        assert_eq!(mask_email("@ejemplo.mx"), HIDDEN);
        assert_eq!(mask_email("sin arroba"), HIDDEN);
        assert_eq!(mask_address("Av. Reforma 10, Col. Centro"), HIDDEN);
        assert_eq!(mask_name("  Juana  Pérez Gómez "), "J. P. G.");
    }

    /// Characters of `masked` other than the mask's own stars and punctuation.
    fn revealed(masked: &str) -> usize {
        masked.chars().filter(|&c| c != '*').count()
    }

    proptest! {
        #[test]
        fn citizen_curp_mask_reveals_at_most_six_characters_of_the_input(s in "\\PC{0,30}|[A-Z0-9]{18}") {
            let masked = mask_curp(&s);
            prop_assert_eq!(masked.chars().count(), 14);
            let chars: Vec<char> = s.trim().chars().collect();
            if chars.len() == 18 {
                let (first, last): (String, String) =
                    (chars[..4].iter().collect(), chars[16..].iter().collect());
                prop_assert_eq!(masked, format!("{first}********{last}"));
            } else {
                prop_assert_eq!(revealed(&masked), 0);
            }
        }

        #[test]
        fn citizen_phone_mask_reveals_at_most_the_last_four_digits(s in "\\PC{0,30}|[0-9 ()+-]{0,20}") {
            let masked = mask_phone(&s);
            prop_assert_eq!(masked.chars().count(), 10);
            prop_assert!(revealed(&masked) <= 4);
            let digits: String = s.chars().filter(char::is_ascii_digit).collect();
            let shown: String = masked.chars().filter(|&c| c != '*').collect();
            prop_assert!(digits.ends_with(&shown));
        }

        #[test]
        fn citizen_email_mask_reveals_the_first_character_and_the_domain(s in "\\PC{0,40}|[a-zñ.]{0,10}@[a-z.]{0,10}") {
            let masked = mask_email(&s);
            if masked != HIDDEN {
                let (first, domain) = masked.split_once("***@").unwrap();
                prop_assert_eq!(first.chars().count(), 1);
                let trimmed = s.trim();
                prop_assert!(trimmed.starts_with(first));
                let at_domain = format!("@{domain}");
                prop_assert!(trimmed.ends_with(&at_domain));
                prop_assert!(!domain.contains('@'));
            }
        }

        #[test]
        fn citizen_name_and_address_masks_reveal_initials_only(s in "\\PC{0,60}") {
            prop_assert_eq!(mask_address(&s), HIDDEN);
            let masked = mask_name(&s);
            prop_assert_eq!(masked.split_whitespace().count(), s.split_whitespace().count());
            for (initials, word) in masked.split_whitespace().zip(s.split_whitespace()) {
                let mut c = initials.chars();
                prop_assert_eq!(c.next(), word.chars().next());
                prop_assert_eq!(c.as_str(), ".");
            }
        }
    }
}
