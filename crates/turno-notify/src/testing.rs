//! A real SMTP server on loopback for tests: Python's aiosmtpd (`scripts/smtp_sink.py`,
//! installed by `scripts/test.sh`), which records each message it receives.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A message as the server received it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Received {
    pub mail_from: String,
    pub rcpt_tos: Vec<String>,
    pub from: String,
    pub to: String,
    pub subject: String,
    pub body: String,
}

pub struct SmtpSink {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl SmtpSink {
    /// Starts the server on a free port.
    pub fn start() -> std::io::Result<SmtpSink> {
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scripts/smtp_sink.py");
        let log = std::env::temp_dir().join(format!(
            "turno-smtp-{}-{}.jsonl",
            std::process::id(),
            jiff::Timestamp::now().as_nanosecond()
        ));
        let mut child = Command::new("python3")
            .arg(&script)
            .arg(&log)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let mut first = String::new();
        if let Some(stdout) = child.stdout.take() {
            BufReader::new(stdout).read_line(&mut first)?;
        }
        let Ok(port) = first.trim().parse() else {
            let _ = child.kill();
            return Err(std::io::Error::other(
                "the SMTP test server did not start: is aiosmtpd installed (pip install aiosmtpd)?",
            ));
        };
        Ok(SmtpSink { child, port, log })
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received so far.
    pub fn received(&self) -> Vec<Received> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .filter_map(|line| serde_json::from_str(line).ok())
            .collect()
    }

    /// Waits until at least `count` messages arrived (or `timeout` passed) and returns them all.
    pub async fn wait_for(&self, count: usize, timeout: Duration) -> Vec<Received> {
        let start = Instant::now();
        loop {
            let received = self.received();
            if received.len() >= count || start.elapsed() > timeout {
                return received;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}
