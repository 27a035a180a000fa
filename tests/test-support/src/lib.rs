//! What the workspace's tests share, so that each exists once: the offline client configuration
//! ([`offline_config`]), the loopback HTTP server every test that needs a real socket uses ([`loopback`]), and
//! files and folders in the temp directory that remove themselves ([`temp`]).

pub mod config;
pub mod loopback;
pub mod temp;

pub use config::offline_config;
pub use loopback::{reply, Recorded, Reply, Server};
pub use temp::{missing_path, TempDir, TempFile};
