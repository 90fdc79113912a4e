//! Endpoint resolution from Smithy endpoint rule sets.
