-- wrk script for `make bench`: set_topic_status from many identities, every write a
-- changed value (writing the value a key already holds costs sled nothing).
-- BACKROAD_COOKIES: one identity cookie per client, space separated; BACKROAD_ORIGIN: the
-- server's origin for the cross-site check.
local cookies = {}
for c in string.gmatch(os.getenv("BACKROAD_COOKIES") or "", "%S+") do
  table.insert(cookies, c)
end
local origin = os.getenv("BACKROAD_ORIGIN") or ""
local statuses = { "done", "in_progress", "skipped" }
local n = 0

function setup(thread)
  thread:set("offset", math.random(0, 10000))
end

function request()
  n = n + 1
  local i = n + (offset or 0)
  local cookie = cookies[(i % #cookies) + 1]
  local status = statuses[(math.floor(i / #cookies) % 3) + 1]
  return wrk.format("POST", "/api/set_topic_status", {
    ["Cookie"] = cookie,
    ["Origin"] = origin,
    ["Accept"] = "application/json",
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, "roadmap=backend&topic=dns&status=" .. status)
end
