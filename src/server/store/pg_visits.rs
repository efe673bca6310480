//! Visits on PostgreSQL (table `visits`, schema version 4): one row per identity, roadmap
//! and place (topic `''` for the roadmap itself).

use super::rows_io::{all, col, exec, signed, unsigned};
use super::PgStore;
use crate::roadmap::changes::{VisitRecord, Visits};
use crate::roadmap::{RoadmapId, TopicId};
use crate::server::identity::IdentityKey;
use crate::server::store::StoreError;
use std::time::Instant;

const PUT: &str = "INSERT INTO visits (identity, roadmap, topic, last_at, previous_at) VALUES ($1, $2, $3, $4, $5) \
     ON CONFLICT (identity, roadmap, topic) DO UPDATE SET last_at = excluded.last_at, previous_at = excluded.previous_at";

impl PgStore {
    pub(super) async fn read_visits(&self, who: &IdentityKey, roadmap: &RoadmapId) -> Result<Visits, StoreError> {
        pg!(self, "visits", |c| {
            let sql = "SELECT topic, last_at, previous_at FROM visits WHERE identity = $1 AND roadmap = $2";
            let mut out = Visits::default();
            for row in all(c, sql, &[&who.0.as_slice(), &roadmap.as_str()]).await? {
                let topic: &str = col(&row, 0)?;
                let last = unsigned(col(&row, 1)?);
                let previous: Option<i64> = col(&row, 2)?;
                if topic.is_empty() {
                    out.roadmap = Some(VisitRecord { last, previous: previous.map(unsigned) });
                } else {
                    out.opened.insert(topic.to_owned(), last);
                }
            }
            Ok(out)
        })
    }

    pub(super) async fn write_visit(
        &self,
        who: &IdentityKey,
        roadmap: &RoadmapId,
        topic: Option<&TopicId>,
        visit: VisitRecord,
    ) -> Result<(), StoreError> {
        pg!(self, "set_visit", |c| {
            let (who, roadmap, topic) = (who.0.as_slice(), roadmap.as_str(), topic.map_or("", |t| t.as_str()));
            let previous = visit.previous.map(signed);
            exec(c, PUT, &[&who, &roadmap, &topic, &signed(visit.last), &previous]).await.map(drop)
        })
    }
}
