-- wrk script for the load run (tests/load.rs): many people reading pages and writing
-- statuses at once. BACKROAD_COOKIES holds one identity cookie per person (space
-- separated), BACKROAD_ORIGIN the server's origin for the cross-site check.
local cookies = {}
for c in string.gmatch(os.getenv("BACKROAD_COOKIES") or "", "%S+") do
  table.insert(cookies, c)
end
local origin = os.getenv("BACKROAD_ORIGIN") or ""
local topics = { "dns", "http", "https-tls", "git-basics", "ssh", "sql-basics", "rest", "json", "indexes", "unit-testing" }
local statuses = { "done", "in_progress", "skipped", "none" }
local n = 0

function setup(thread)
  thread:set("offset", math.random(1, 1000))
end

function request()
  n = n + 1
  local i = n + (offset or 0)
  local cookie = cookies[(i % #cookies) + 1]
  local kind = i % 10
  if kind < 3 then
    local body = "roadmap=backend&topic=" .. topics[(i % #topics) + 1] .. "&status=" .. statuses[(i % 4) + 1]
    return wrk.format("POST", "/api/set_topic_status", {
      ["Cookie"] = cookie,
      ["Origin"] = origin,
      ["Accept"] = "application/json",
      ["Content-Type"] = "application/x-www-form-urlencoded",
    }, body)
  elseif kind < 6 then
    return wrk.format("GET", "/roadmaps/backend", { ["Cookie"] = cookie, ["Accept-Encoding"] = "gzip" })
  elseif kind < 8 then
    return wrk.format("GET", "/roadmaps/backend/" .. topics[(i % #topics) + 1], { ["Cookie"] = cookie, ["Accept-Encoding"] = "gzip" })
  else
    return wrk.format("POST", "/api/get_progress", {
      ["Cookie"] = cookie,
      ["Origin"] = origin,
      ["Accept"] = "application/json",
      ["Content-Type"] = "application/x-www-form-urlencoded",
    }, "roadmap=backend")
  end
end
