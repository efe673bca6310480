-- wrk script for the abuse run (tests/abuse.rs): what one careless or hostile client sends
-- beside real users. Junk spellings of real pages, unknown topics, long queries just under
-- the address limit, addresses over it (414), and writes without a cookie (each would start
-- an identity; past the new-identity limit they get 429). BACKROAD_ORIGIN: the server's origin.
local origin = os.getenv("BACKROAD_ORIGIN") or ""
local n = 0

function setup(thread)
  thread:set("offset", math.random(1, 1000000))
end

function request()
  n = n + 1
  local i = n + (offset or 0)
  local kind = i % 5
  if kind == 0 then
    return wrk.format("GET", "/roadmaps/%62ackend/%64n" .. string.format("%%%02X", 115) .. "?v=" .. i)
  elseif kind == 1 then
    return wrk.format("GET", "/roadmaps/backend/no-such-topic-" .. i)
  elseif kind == 2 then
    return wrk.format("GET", "/roadmaps/backend?q=" .. string.rep("a", 3000) .. i .. "&junk=" .. string.rep("b", 500))
  elseif kind == 3 then
    return wrk.format("GET", "/roadmaps/backend?q=" .. string.rep("z", 9000))
  else
    return wrk.format("POST", "/api/set_topic_status", {
      ["Origin"] = origin,
      ["Accept"] = "application/json",
      ["Content-Type"] = "application/x-www-form-urlencoded",
    }, "roadmap=backend&topic=dns&status=done")
  end
end
