-- wrk script for Benchmarks/storage.py: real AWS wire requests, a distinct key per request, and a
-- check of every response so a server answering errors fast can't look good.
--
--   wrk -s storage-wrk.lua URL -- WORKLOAD NAME AMZ_DATE ARG [SHA256]
--
-- WORKLOAD: s3-put (PUT ARG bytes to /bench/NAME/<thread>-<n>), s3-get (GET /bench/get/<i>, i
-- cycling over ARG objects written before the run), ddb-put (PutItem pk=<thread>-<n> into table NAME),
-- ddb-get (GetItem of ARG items written before the run), ddb-query (Query one of ARG partitions of
-- 10 items), health (GET /health: the HTTP server's floor, no AWS work). Requests carry an Authorization header of the SigV4 form (the servers here accept any
-- well-formed signature) and, for S3, the payload's real SHA-256 as boto3 sends it over plain HTTP.
--
-- done() prints one line: WRK_RESULT {json} with good and bad response counts and latencies.

local threads = {}
local thread_count = 0

function setup(thread)
  thread:set("id", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

local SIGNATURE = string.rep("0", 64)
local PAYLOAD_100 = string.rep("x", 100)
local BUCKET = "bench"
local TABLE = "bench"

local function authorization(service, signed)
  return "AWS4-HMAC-SHA256 Credential=test/" .. amz_date:sub(1, 8) .. "/us-east-1/" .. service
    .. "/aws4_request, SignedHeaders=" .. signed .. ", Signature=" .. SIGNATURE
end

function init(args)
  workload, name, amz_date, arg = args[1], args[2], args[3], args[4]
  n, ok, bad = 0, 0, 0
  if workload == "health" then
    return
  elseif workload:sub(1, 2) == "s3" then
    if workload == "s3-put" then
      size = tonumber(arg)
      body = string.rep("a", size)
      body_sha256 = args[5]
    else
      objects = tonumber(arg)
      body_sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"  -- empty body
    end
    headers = {
      ["x-amz-date"] = amz_date,
      ["x-amz-content-sha256"] = body_sha256,
      ["Authorization"] = authorization("s3", "host;x-amz-content-sha256;x-amz-date"),
    }
  else
    count = tonumber(arg)
    local operation = ({["ddb-put"] = "PutItem", ["ddb-get"] = "GetItem", ["ddb-query"] = "Query"})[workload]
    headers = {
      ["Content-Type"] = "application/x-amz-json-1.0",
      ["X-Amz-Target"] = "DynamoDB_20120810." .. operation,
      ["x-amz-date"] = amz_date,
      ["Authorization"] = authorization("dynamodb", "content-type;host;x-amz-date;x-amz-target"),
    }
  end
end

function request()
  n = n + 1
  if workload == "health" then
    return wrk.format("GET", "/health")
  elseif workload == "s3-put" then
    return wrk.format("PUT", "/" .. BUCKET .. "/" .. name .. "/" .. id .. "-" .. n, headers, body)
  elseif workload == "s3-get" then
    return wrk.format("GET", "/" .. BUCKET .. "/get/" .. ((id * 7919 + n) % objects), headers)
  elseif workload == "ddb-put" then
    return wrk.format("POST", "/", headers, string.format(
      '{"TableName":"%s","Item":{"pk":{"S":"%d-%d"},"sk":{"S":"a"},"v":{"S":"%s"},"n":{"N":"%d"}}}',
      name, id, n, PAYLOAD_100, n))
  elseif workload == "ddb-get" then
    local i = (id * 7919 + n) % count
    return wrk.format("POST", "/", headers, string.format(
      '{"TableName":"%s","Key":{"pk":{"S":"q%d"},"sk":{"S":"s%d"}}}', TABLE, math.floor(i / 10), i % 10))
  else -- ddb-query
    return wrk.format("POST", "/", headers, string.format(
      '{"TableName":"%s","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"q%d"}}}',
      TABLE, (id * 7919 + n) % count))
  end
end

-- A response is good when it is a 200 whose body is what the request asked for.
local function good(status, body)
  if status ~= 200 then return false end
  if workload == "s3-get" then return #body == 1024 end
  if workload == "ddb-get" then return body:find('"Item"', 1, true) ~= nil end
  if workload == "ddb-query" then return body:find('"Count":%s*10[,}]') ~= nil end
  return true
end

function response(status, headers, body)
  if good(status, body) then
    ok = ok + 1
  else
    bad = bad + 1
    if bad <= 2 then io.stderr:write("bad response ", status, ": ", body:sub(1, 200), "\n") end
  end
end

function done(summary, latency, requests)
  local good_count, bad_count = 0, 0
  for _, thread in ipairs(threads) do
    good_count = good_count + thread:get("ok")
    bad_count = bad_count + thread:get("bad")
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"ok":%d,"bad":%d,"requests":%d,"duration_us":%d,"socket_errors":%d,'
      .. '"p50_us":%d,"p99_us":%d,"mean_us":%.1f}\n',
    good_count, bad_count, summary.requests, summary.duration,
    e.connect + e.read + e.write + e.timeout, latency:percentile(50), latency:percentile(99), latency.mean))
end
