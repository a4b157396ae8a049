-- wrk script of bench/http_load.py: requests a random path from the file named
-- by WRK_PATHS (one per line) when given, and prints exact latency percentiles.
local paths = {}
local file = os.getenv("WRK_PATHS")
if file and file ~= "" then
  for line in io.lines(file) do paths[#paths + 1] = line end
end

request = function()
  if #paths > 0 then
    return wrk.format("GET", paths[math.random(#paths)])
  end
  return wrk.format("GET")
end

done = function(summary, latency, requests)
  io.write(string.format("P50 %d\nP95 %d\nP99 %d\n",
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
