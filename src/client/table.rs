//! A small map kept as a list: the calls, exchanges and timers of one client number a few
//! dozen at most, and a `BTreeMap` per value type cost about 8 KB of wasm each (measured
//! with twiggy: six of them were 47 KB before wasm-opt).

/// Entries by key, in insertion order; lookups are linear.
#[derive(Debug)]
pub(crate) struct Table<K, V> {
    entries: Vec<(K, V)>,
}

impl<K, V> Default for Table<K, V> {
    fn default() -> Self {
        Table { entries: Vec::new() }
    }
}

impl<K: PartialEq + Copy, V> Table<K, V> {
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Adds an entry; keys are never reused, so no old entry is replaced.
    pub(crate) fn insert(&mut self, key: K, value: V) {
        self.entries.push((key, value));
    }

    pub(crate) fn get(&self, key: &K) -> Option<&V> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub(crate) fn get_mut(&mut self, key: &K) -> Option<&mut V> {
        self.entries.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub(crate) fn remove(&mut self, key: &K) -> Option<V> {
        let i = self.entries.iter().position(|(k, _)| k == key)?;
        Some(self.entries.swap_remove(i).1)
    }
}
