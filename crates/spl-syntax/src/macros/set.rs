//! Macro definitions and the set they are looked up in (by name and arity).

/// One macro definition, as in an ESCU macro YAML file or a `macros.conf` stanza.
///
/// ```text
/// [security_content_ctime(1)]
/// args = field
/// definition = convert timeformat="%Y-%m-%dT%H:%M:%S" ctime($field$)
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MacroDefinition {
    /// The name without arity (`security_content_ctime`).
    pub name: String,
    /// Argument names; their count is the arity.
    pub arguments: Vec<String>,
    /// The SPL text that replaces a call.
    pub definition: String,
    /// Where it was defined (a file path, or `built-in`).
    pub origin: String,
}

impl MacroDefinition {
    /// A definition without arguments.
    pub fn new(
        name: impl Into<String>,
        definition: impl Into<String>,
        origin: impl Into<String>,
    ) -> MacroDefinition {
        MacroDefinition {
            name: name.into(),
            arguments: Vec::new(),
            definition: definition.into(),
            origin: origin.into(),
        }
    }

    /// The same definition taking `arguments` (their count is the arity).
    pub fn with_arguments<S: Into<String>>(
        mut self,
        arguments: impl IntoIterator<Item = S>,
    ) -> MacroDefinition {
        self.arguments = arguments.into_iter().map(Into::into).collect();
        self
    }

    /// The number of arguments.
    pub fn arity(&self) -> usize {
        self.arguments.len()
    }
}

/// The origin recorded for macros the engine ships itself.
pub const BUILT_IN_ORIGIN: &str = "built-in";

/// The origin recorded for a `<detection>_filter` macro created because none was defined.
pub const DEFAULT_FILTER_ORIGIN: &str = "built-in (default `*_filter` macro)";

/// The definition contentctl gives a missing `<detection>_filter` macro (spl-semantics §7.4).
pub const DEFAULT_FILTER_DEFINITION: &str = "search *";

/// The macros the engine ships (spl-semantics §7.5): `drop_dm_object_name(object)` from
/// Splunk_SA_CIM, which ESCU searches call but ESCU does not define.
pub fn builtin_macros() -> Vec<MacroDefinition> {
    vec![MacroDefinition::new(
        "drop_dm_object_name",
        r#"rename "$object$.*" as *"#,
        BUILT_IN_ORIGIN,
    )
    .with_arguments(["object"])]
}

/// A set of macros keyed by name and arity; a later insert replaces an earlier one.
#[derive(Clone, Debug, Default)]
pub struct MacroSet {
    definitions: Vec<MacroDefinition>,
}

impl MacroSet {
    /// An empty set.
    pub fn new() -> MacroSet {
        MacroSet::default()
    }

    /// A set holding only the [`builtin_macros`].
    pub fn with_builtins() -> MacroSet {
        let mut set = MacroSet::new();
        set.extend(builtin_macros());
        set
    }

    /// Adds or replaces the definition with the same name and arity.
    pub fn insert(&mut self, definition: MacroDefinition) {
        self.definitions.retain(|d| {
            !(d.name == definition.name && d.arguments.len() == definition.arguments.len())
        });
        self.definitions.push(definition);
    }

    /// The definition of `name` with `arity` arguments.
    pub fn get(&self, name: &str, arity: usize) -> Option<&MacroDefinition> {
        self.definitions
            .iter()
            .find(|d| d.name == name && d.arguments.len() == arity)
    }

    /// The arities `name` is defined with, ascending.
    pub fn arities(&self, name: &str) -> Vec<usize> {
        let mut arities: Vec<usize> = self
            .definitions
            .iter()
            .filter(|d| d.name == name)
            .map(MacroDefinition::arity)
            .collect();
        arities.sort_unstable();
        arities
    }

    /// All definitions, in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = &MacroDefinition> {
        self.definitions.iter()
    }

    /// The number of definitions.
    pub fn len(&self) -> usize {
        self.definitions.len()
    }

    /// True when the set holds no definition.
    pub fn is_empty(&self) -> bool {
        self.definitions.is_empty()
    }
}

impl FromIterator<MacroDefinition> for MacroSet {
    fn from_iter<I: IntoIterator<Item = MacroDefinition>>(iter: I) -> Self {
        let mut set = MacroSet::new();
        set.extend(iter);
        set
    }
}

/// Inserts every definition in order (later ones win).
impl Extend<MacroDefinition> for MacroSet {
    fn extend<I: IntoIterator<Item = MacroDefinition>>(&mut self, iter: I) {
        for definition in iter {
            self.insert(definition);
        }
    }
}
