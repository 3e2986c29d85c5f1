//! Where things happen in the customer journey: the channels a touchpoint
//! (and an operation that writes one, such as a payment) can be on.

crate::text_enum! {
    /// Where a touchpoint happened.
    pub enum JourneyChannel {
        /// The company website.
        Website = "website",
        /// Email.
        Email = "email",
        /// A phone call.
        Phone = "phone",
        /// A text message.
        Sms = "sms",
        /// The customer portal (where most payments are made).
        Portal = "portal",
        /// Post: a statement or a check in the mail.
        Mail = "mail",
        /// A technician's visit.
        FieldVisit = "field_visit",
        /// Social media.
        Social = "social",
        /// A referral from someone.
        Referral = "referral",
        /// Face to face.
        InPerson = "in_person",
        /// Anything else.
        Other = "other",
    }
}
