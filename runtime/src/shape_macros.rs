//! Methods that every generated builder has for every member and that differ only in names and types, written
//! once here instead of once per member: the generated code keeps what carries the member's own documentation
//! (its field and its `x(..)` setter) and calls [`set_get!`](crate::set_get) for the rest.

/// A builder's `set_x` and `get_x` for one member, in aws-sdk-rust's forms, with the attributes given first
/// (such as `#[deprecated]`) on both. `set_x(Option<..>)` replaces or clears the member; `get_x()` returns it
/// as set so far.
///
/// | call | the member is stored as |
/// | --- | --- |
/// | `set_get!(x, set_x, get_x, T)` | `Option<T>` |
/// | `set_get!(boxed x, set_x, get_x, T)` | `Option<Box<T>>` (a shape that leads back to itself); `set_x` takes `Option<T>` |
/// | `set_get!(list x, set_x, get_x, T)` | `Option<Vec<T>>` |
/// | `set_get!(x, set_x, get_x, HashMap<String, V>)` | a map: the generator writes its whole type |
///
/// The names come from the generator; none is derived here.
#[doc(hidden)]
#[macro_export]
macro_rules! set_get {
    ($(#[$attr:meta])* boxed $name:ident, $set:ident, $get:ident, $ty:ty) => {
        #[doc = concat!(" Sets or clears `", stringify!($name), "`.")]
        $(#[$attr])*
        pub fn $set(mut self, input: Option<$ty>) -> Self {
            self.$name = input.map(Box::new);
            self
        }
        #[doc = concat!(" `", stringify!($name), "` as set so far.")]
        $(#[$attr])*
        pub fn $get(&self) -> &Option<Box<$ty>> {
            &self.$name
        }
    };
    ($(#[$attr:meta])* list $name:ident, $set:ident, $get:ident, $ty:ty) => {
        $crate::set_get!($(#[$attr])* $name, $set, $get, Vec<$ty>);
    };
    ($(#[$attr:meta])* $name:ident, $set:ident, $get:ident, $ty:ty) => {
        #[doc = concat!(" Sets or clears `", stringify!($name), "`.")]
        $(#[$attr])*
        pub fn $set(mut self, input: Option<$ty>) -> Self {
            self.$name = input;
            self
        }
        #[doc = concat!(" `", stringify!($name), "` as set so far.")]
        $(#[$attr])*
        pub fn $get(&self) -> &Option<$ty> {
            &self.$name
        }
    };
}
