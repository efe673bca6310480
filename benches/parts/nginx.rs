//! The outside reference for page speed: nginx (Debian's, `make bench` installs it) serving
//! the very same bytes a page decodes to, precompressed with `gzip -9` beside it
//! (`gzip_static`), with sendfile: the most a page can be served at on this machine.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

pub struct Nginx {
    pub port: u16,
    root: PathBuf,
    child: Child,
}

impl Nginx {
    /// Starts nginx on a free port with `dir` as its prefix (2 workers, as the server has 2
    /// cores, no access log).
    pub fn start(dir: &Path, port: u16) -> Nginx {
        let root = dir.join("www");
        std::fs::create_dir_all(&root).expect("nginx www");
        std::fs::create_dir_all(dir.join("logs")).expect("nginx logs");
        let conf = format!(
            "worker_processes 2;\ndaemon off;\npid {dir}/nginx.pid;\nerror_log {dir}/logs/error.log warn;\n\
             events {{ worker_connections 4096; }}\n\
             http {{\n  access_log off;\n  sendfile on;\n  tcp_nopush on;\n  keepalive_requests 1000000;\n\
             \x20 types {{ text/html html; }}\n  default_type text/html;\n  client_body_temp_path {dir}/tmp;\n\
             \x20 proxy_temp_path {dir}/tmp;\n  fastcgi_temp_path {dir}/tmp;\n  uwsgi_temp_path {dir}/tmp;\n  scgi_temp_path {dir}/tmp;\n\
             \x20 server {{\n    listen 127.0.0.1:{port};\n    root {root};\n    gzip off;\n    gzip_static on;\n  }}\n}}\n",
            dir = dir.display(),
            root = root.display(),
        );
        std::fs::write(dir.join("nginx.conf"), conf).expect("nginx.conf");
        // Workers run as nobody: everything they read must be readable by all.
        let _ = Command::new("chmod").args(["-R", "a+rX"]).arg(dir).status();
        let mut parent = dir.to_path_buf();
        while parent.pop() {
            let _ = Command::new("chmod").arg("a+x").arg(&parent).status();
        }
        let child = Command::new("nginx")
            .arg("-p")
            .arg(dir)
            .arg("-c")
            .arg(dir.join("nginx.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start nginx (make bench installs it)");
        Nginx { port, root, child }
    }

    /// Puts `bytes` at `/{name}` and `/{name}.gz` (gzip -9) and checks that nginx answers
    /// them precompressed: a 200 with `Content-Encoding: gzip` and the length of the `.gz`.
    pub fn serve(&self, name: &str, bytes: &[u8]) -> String {
        let plain = self.root.join(name);
        std::fs::write(&plain, bytes).expect("page for nginx");
        let gz = Command::new("gzip").args(["-9", "-k", "-f", "-n"]).arg(&plain).status().expect("gzip");
        assert!(gz.success(), "gzip -9 {name}");
        let _ = Command::new("chmod").arg("a+r").arg(&plain).arg(plain.with_extension("html.gz")).status();
        let gz_len = std::fs::metadata(plain.with_extension("html.gz")).expect("the .gz").len();
        let url = format!("http://127.0.0.1:{}/{name}", self.port);
        for _ in 0..50 {
            let head = Command::new("curl")
                .args(["-s", "-D", "-", "-o", "/dev/null", "-H", "Accept-Encoding: gzip", &url])
                .output()
                .expect("curl");
            let head = String::from_utf8_lossy(&head.stdout).to_lowercase();
            if head.starts_with("http/1.1 200") {
                assert!(head.contains("content-encoding: gzip"), "nginx did not send {name} precompressed:\n{head}");
                assert!(head.contains(&format!("content-length: {gz_len}")), "nginx sent another length:\n{head}");
                return url;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("nginx does not answer {url} with 200");
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
