//! What the workspace's tests share, so that each exists once: the offline client configuration
//! ([`offline_config`]), the loopback HTTP server every test that needs a real socket uses ([`loopback`]), and
//! files and folders in the temp directory that remove themselves ([`temp`]), and the Python with botocore or boto3
//! that the tests against AWS's own Python SDK run ([`python`]).

pub mod config;
pub mod loopback;
pub mod python;
pub mod temp;

pub use config::offline_config;
pub use loopback::{reply, Recorded, Reply, Server};
pub use python::python_with;
pub use temp::{missing_path, TempDir, TempFile};
