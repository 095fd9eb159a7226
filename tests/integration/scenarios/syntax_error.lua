options = { vus = 1 }
function client()
  local x = = 1
end
