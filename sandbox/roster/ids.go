package roster

import "strconv"

// pushID numbers roster pushes; ids only need to be unique per stream.
func (s *Service) pushID() string { return "push" + strconv.FormatUint(s.pushes.Add(1), 10) }

func version(v int64) string { return strconv.FormatInt(v, 10) }
